//! Messaging in the prototypes, driven through stdin: events and raw messages typed at
//! one client's prompt are printed by another, the owner and connection are shown, and
//! the host console sends events too.

mod cli_process;

use cli_process::Proc;

#[test]
fn events_raw_messages_and_the_owner_at_the_prompt() {
    let (mut host, addr) = Proc::host(&[]);
    let mut alice = Proc::joined_client(&addr, "alice", &[]);
    let mut bob = Proc::joined_client(&addr, "bob", &[]);

    alice.send("owner");
    alice.expect_line("owner p1");
    bob.send("owner");
    bob.expect_line("owner p1");

    alice.send("event chat others hello bob");
    bob.expect_line("event from p1: chat \"hello bob\"");
    alice.send("event wave all");
    // The sender's own copy runs at once.
    alice.expect_line("event from p1: wave");
    bob.expect_line("event from p1: wave");
    alice.send("event dance all");
    alice.expect_line("error: event \"dance\" is not registered");
    alice.send("event chat all");
    alice.expect("a parameter mismatch", |l| {
        l.starts_with("error: parameters do not match the event's definition")
    });

    alice.send("raw p2 reliable racks are heavy");
    bob.expect_line("raw from p1 reliable: racks are heavy");
    alice.send("raw others sequenced tick 1");
    bob.expect_line("raw from p1 sequenced: tick 1");

    bob.send("conn");
    bob.expect("the connection line", |l| {
        l.starts_with("connection state=connected ")
    });

    // The host console prints what players send.
    host.expect_line("event from p1: chat \"hello bob\"");
    host.send("event chat all from the host");
    host.expect_line("event from host: chat \"from the host\"");
    alice.expect_line("event from host: chat \"from the host\"");
    bob.expect_line("event from host: chat \"from the host\"");

    // Alice leaves: bob owns the instance and is told.
    alice.send("quit");
    assert!(alice.wait_exit().success());
    bob.expect_line("owner p2");
}

#[test]
fn events_registered_by_flags_and_the_configured_owner() {
    let (_host, addr) = Proc::host(&["--no-console", "--event", "dance:3", "--owner", "bob"]);
    let mut alice = Proc::joined_client(&addr, "alice", &["--event", "dance:3"]);
    let mut bob = Proc::joined_client(&addr, "bob", &[]);
    // bob owns the instance as soon as he is present.
    alice.expect_line("owner p2");
    alice.send("event dance p2 cha cha");
    bob.expect_line("event from p1: dance \"cha cha\"");
    // bob's client does not know the event: refused locally, before sending.
    bob.send("event dance all");
    bob.expect_line("error: event \"dance\" is not registered");
}
