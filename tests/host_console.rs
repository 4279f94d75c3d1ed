//! The host admin console: commands on the host's stdin run as the host, are applied and
//! broadcast without an ACK, refusals print their reason, and end of input leaves the
//! host serving.

mod cli_process;

use cli_process::Proc;

#[test]
fn admin_actions_are_applied_and_broadcast_directly() {
    let (mut host, addr) = Proc::host(&[]);
    let mut bob = Proc::joined_client(&addr, "bob", &[]);

    host.send("break #5");
    host.expect_line("host revision=1: break #5");
    bob.expect_line("remote revision=1 by host: break #5");
    host.send("show #5");
    host.expect_line("#5 server1u rack #1 u4 on broken");

    // The host holds nothing, so it cannot install; the reason prints, nothing is sent.
    host.send("install #23 #1 1");
    host.expect_line("host rejected install_in_rack #23 -> #1 u1: object is not in your hand");

    // A host spawn takes the next id of the host's namespace.
    host.send("spawn rack 1000 0 2000 90");
    host.expect_line("host revision=2: spawn #121 rack at 1000 0 2000 yaw 90.0");
    bob.expect_line("remote revision=2 by host: spawn #121 rack at 1000 0 2000 yaw 90.0");

    host.send("wear 60");
    host.expect_line("host revision=3: wear 60s");
    host.send("stats");
    host.expect("the host's stats", |l| {
        l.starts_with("stats revision=3 objects=121 ")
            && l.contains(" players=1 ")
            && l.contains(" host_applied=3 ")
    });
    bob.send("stats");
    bob.expect("bob's stats", |l| l.contains(" revision=3 objects=121 "));
    host.send("bogus");
    host.expect_line("error: unknown command \"bogus\"; type help");
}

#[test]
fn end_of_input_closes_the_console_but_the_host_keeps_serving() {
    let (mut host, addr) = Proc::host(&[]);
    host.close_stdin();
    // Joining after the console closed proves the host still serves.
    let mut late = Proc::spawn(
        "late",
        &["client", "--connect", &addr, "--name", "late", "--once"],
    );
    late.expect("the joined line", |l| {
        l.starts_with("joined objects=120 revision=0 ")
    });
    assert!(late.wait_exit().success());
    assert!(host.running(), "the host outlives its console");
}

#[test]
fn a_host_without_console_ignores_stdin() {
    let (mut host, addr) = Proc::host(&["--no-console"]);
    host.send("break #5");
    let mut client = Proc::joined_client(&addr, "carol", &[]);
    client.send("stats");
    client.expect("the untouched world", |l| {
        l.contains(" revision=0 objects=120 ")
    });
}
