//! The interactive client, driven through its stdin: actions typed at the prompt are
//! performed and their outcomes printed; another client prints them as remote changes;
//! refusals print their reason; an unanswered action times out and is rolled back.

mod cli_process;

use bevy_ecs::world::World;
use cli_process::Proc;
use racksync::default_world::default_world;
use racksync_protocol::{ObjectId, ObjectKind, RackSlot};
use racksync_world::queries::{free_slot, loose_objects};

/// Two loose 1U servers and a free 1-unit slot of the default world the host serves.
fn loose_servers_and_slot() -> (ObjectId, ObjectId, RackSlot) {
    let mut world = World::new();
    default_world()
        .expect("the default world parses")
        .load_into(&mut world)
        .expect("the default world loads");
    let servers = loose_objects(&world, ObjectKind::Server1U);
    let slot = free_slot(&world, 1).expect("the default world has a free unit");
    (servers[0], servers[1], slot)
}

#[test]
fn an_install_typed_at_the_prompt_is_accepted_and_seen_by_another_client() {
    let (server, _, slot) = loose_servers_and_slot();
    let (_host, addr) = Proc::host(&[]);
    let mut bob = Proc::joined_client(&addr, "bob", &[]);
    let mut alice = Proc::joined_client(&addr, "alice", &[]);

    alice.send(&format!("pickup {server}"));
    alice.send(&format!("install {server} {} {}", slot.rack, slot.unit));
    // End of input quits, but only once both actions are answered.
    alice.close_stdin();
    alice.expect_line(&format!("accepted seq=0 pick_up {server} revision=1"));
    let install = format!("install_in_rack {server} -> {} u{}", slot.rack, slot.unit);
    alice.expect_line(&format!("accepted seq=1 {install} revision=2"));
    assert!(alice.wait_exit().success(), "end of input is a clean exit");

    bob.expect("the remote pickup", |l| {
        l.starts_with("remote revision=1 by p") && l.ends_with(&format!(": pick_up {server}"))
    });
    bob.expect("the remote install", |l| {
        l.starts_with("remote revision=2 by p") && l.ends_with(&format!(": {install}"))
    });
    bob.send(&format!("show {server}"));
    bob.expect_line(&format!(
        "{server} server1u rack {} u{} off",
        slot.rack, slot.unit
    ));
    bob.send("stats");
    bob.expect("bob's stats", |l| {
        l.starts_with("stats player=p") && l.contains(" revision=2 objects=120 ")
    });
    bob.send("quit");
    assert!(bob.wait_exit().success());
}

#[test]
fn refused_commands_print_their_reason() {
    let (server, _, slot) = loose_servers_and_slot();
    let (_host, addr) = Proc::host(&[]);
    let mut alice = Proc::joined_client(&addr, "alice", &[]);

    let install = format!("install {server} {} {}", slot.rack, slot.unit);
    alice.send(&install);
    alice.expect_line(&format!(
        "rejected locally install_in_rack {server} -> {} u{}: object is not in your hand",
        slot.rack, slot.unit
    ));
    alice.send("break #5");
    alice.expect_line("rejected locally break #5: only the host may do that");
    alice.send("frobnicate #5");
    alice.expect_line("error: unknown command \"frobnicate\"; type help");
    alice.send(&format!("install {server} {}", slot.rack));
    alice.expect_line("error: missing UNIT; usage: install ID RACK UNIT");
    alice.send("show #999999");
    alice.expect_line("error: object #999999 does not exist");
    alice.send("stats");
    alice.expect("alice's stats", |l| {
        l.contains(" sent=0 ") && l.contains(" rejected_locally=2 ")
    });
}

#[test]
fn conflicting_pickups_one_wins_the_other_prints_why() {
    let (_, server, _) = loose_servers_and_slot();
    let (_host, addr) = Proc::host(&[]);
    let mut alice = Proc::joined_client(&addr, "alice", &[]);
    let mut bob = Proc::joined_client(&addr, "bob", &[]);

    // Typed at almost the same moment: the host serializes them. The loser is refused by
    // the host (and rolled back) or, if the winner's broadcast reached it first, by its
    // own rules; either way it prints the reason.
    alice.send(&format!("pickup {server}"));
    bob.send(&format!("pickup {server}"));
    let outcome = |proc: &mut Proc| {
        proc.expect("the pickup's outcome", |l| {
            l.starts_with("accepted ") || l.starts_with("rejected ")
        })
    };
    let (a, b) = (outcome(&mut alice), outcome(&mut bob));
    let (winner, loser) = match (a.starts_with("accepted"), b.starts_with("accepted")) {
        (true, false) => (&a, &b),
        (false, true) => (&b, &a),
        _ => panic!("exactly one pickup wins: alice {a:?}, bob {b:?}"),
    };
    assert_eq!(
        winner,
        &format!("accepted seq=0 pick_up {server} revision=1")
    );
    assert!(
        loser.contains(&format!("pick_up {server}: object is held by p")),
        "the loser prints why: {loser:?}"
    );
    // Both views agree on who holds it.
    let holder = loser
        .split("held by ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the reason names the holder");
    for proc in [&mut alice, &mut bob] {
        proc.send(&format!("show {server}"));
        proc.expect_line(&format!("{server} server1u held by {holder} off"));
    }
}

#[test]
#[cfg(unix)]
fn an_unanswered_action_times_out_and_is_rolled_back() {
    let (server, _, _) = loose_servers_and_slot();
    let (host, addr) = Proc::host(&[]);
    let mut alice = Proc::joined_client(&addr, "alice", &["--ack-timeout", "1"]);
    // A stopped host answers nothing (and, unlike a dead one, refuses no datagrams).
    host.signal("STOP");
    alice.send(&format!("pickup {server}"));
    alice.send(&format!("show {server}"));
    alice.expect("the optimistic pickup", |l| {
        l.starts_with(&format!("{server} server1u held by p"))
    });
    alice.expect_line(&format!(
        "timed out seq=0 pick_up {server}: no answer from the host (rolled back)"
    ));
    alice.send(&format!("show {server}"));
    alice.expect("the rolled-back server", |l| {
        l.starts_with(&format!("{server} server1u floor "))
    });
    host.signal("CONT");
}
