//! The command language of the client prompt and the admin console: every command
//! parses to the action it names, malformed lines give one-line errors, and no input
//! makes the parser panic.

use proptest::prelude::*;
use racksync::cli::command::{Command, ListFilter, ParseError, Request, VERBS, parse};
use racksync_protocol::{
    Action, CableEnd, ObjectId, ObjectKind, PlayerId, PosMm, Property, RackSlot,
};
use racksync_world::WorldIndex;
use std::net::Ipv4Addr;

fn id(serial: u32) -> ObjectId {
    ObjectId::new(0, serial)
}

fn act(line: &str) -> Action {
    match parse(line) {
        Ok(Some(Command::Act(Request::Action(action)))) => action,
        other => panic!("{line:?} parsed to {other:?}"),
    }
}

#[test]
fn every_action_command_parses_to_its_action() {
    let cases = [
        ("pickup #23", Action::PickUp { object: id(23) }),
        ("PICK_UP 23", Action::PickUp { object: id(23) }),
        (
            "drop #2:7 100 -5 2000 90",
            Action::Drop {
                object: ObjectId::new(2, 7),
                pos: PosMm::new(100, -5, 2000),
                yaw: 16384,
            },
        ),
        (
            "  install   #23  #1   4  ",
            Action::InstallInRack {
                object: id(23),
                slot: RackSlot {
                    rack: id(1),
                    unit: 4,
                },
            },
        ),
        ("remove #5", Action::RemoveFromRack { object: id(5) }),
        (
            "power #5 OFF",
            Action::SetPower {
                object: id(5),
                on: false,
            },
        ),
        (
            "set #5 ip 10.0.0.99",
            Action::SetProperty {
                object: id(5),
                value: Property::Ip(Some(Ipv4Addr::new(10, 0, 0, 99))),
            },
        ),
        (
            "set #5 customer none",
            Action::SetProperty {
                object: id(5),
                value: Property::Customer(None),
            },
        ),
        (
            "set #5 label web  front 1",
            Action::SetProperty {
                object: id(5),
                value: Property::Label(Some("web  front 1".into())),
            },
        ),
        (
            "set #5 app 7",
            Action::SetProperty {
                object: id(5),
                value: Property::App(Some(7)),
            },
        ),
        (
            "connect #4 #3/0 customer:4",
            Action::ConnectCable {
                cable: id(4),
                ends: [
                    CableEnd::Port {
                        device: id(3),
                        port: 0,
                    },
                    CableEnd::Customer(4),
                ],
            },
        ),
        ("disconnect #4", Action::DisconnectCable { cable: id(4) }),
        (
            "destroy #1:1",
            Action::Destroy {
                object: ObjectId::new(1, 1),
            },
        ),
        (
            "insert #6 #2 23",
            Action::InsertSfp {
                module: id(6),
                switch: id(2),
                port: 23,
            },
        ),
        ("eject #6", Action::RemoveSfp { module: id(6) }),
        ("unplug-sfp #6", Action::RemoveSfp { module: id(6) }),
        ("repair #5", Action::Repair { object: id(5) }),
        ("break #5", Action::Break { object: id(5) }),
        ("wear 3600", Action::Wear { seconds: 3600 }),
        (
            "release #23 0 0 0 -90",
            Action::Release {
                object: id(23),
                pos: PosMm::new(0, 0, 0),
                yaw: 49152,
            },
        ),
    ];
    for (line, action) in cases {
        assert_eq!(act(line), action, "{line}");
    }
}

#[test]
fn other_commands_parse() {
    assert_eq!(parse("").unwrap(), None);
    assert_eq!(parse("   \t ").unwrap(), None);
    assert_eq!(parse("help").unwrap(), Some(Command::Help));
    assert_eq!(parse("exit").unwrap(), Some(Command::Quit));
    assert_eq!(parse("stats").unwrap(), Some(Command::Stats));
    assert_eq!(parse("ls").unwrap(), Some(Command::List(ListFilter::All)));
    assert_eq!(
        parse("list patch-panel").unwrap(),
        Some(Command::List(ListFilter::Kind(ObjectKind::PatchPanel)))
    );
    assert_eq!(
        parse("list held").unwrap(),
        Some(Command::List(ListFilter::Held))
    );
    assert_eq!(parse("show 17").unwrap(), Some(Command::Show(id(17))));
}

#[test]
fn a_spawn_takes_the_next_id_of_the_actors_namespace() {
    let Some(Command::Act(request)) = parse("spawn server3u 1 2 3").unwrap() else {
        panic!("spawn is an action");
    };
    assert_eq!(
        request,
        Request::Spawn {
            kind: ObjectKind::Server3U,
            pos: PosMm::new(1, 2, 3),
            yaw: 0
        }
    );
    let action = request
        .into_action(&WorldIndex::default(), PlayerId(3))
        .unwrap();
    assert_eq!(action.object(), Some(ObjectId::new(3, 1)));
}

#[test]
fn malformed_lines_say_what_is_wrong() {
    let cases = [
        ("dance", "unknown command \"dance\"; type help"),
        (
            "install #23 #1",
            "missing UNIT; usage: install ID RACK UNIT",
        ),
        (
            "install #23 #1 300",
            "\"300\" is not a rack unit (1..42); usage: install ID RACK UNIT",
        ),
        (
            "pickup rack",
            "\"rack\" is not an object id like #23 or #2:5; usage: pickup ID",
        ),
        (
            "pickup #99999999",
            "\"#99999999\" is not an object id like #23 or #2:5; usage: pickup ID",
        ),
        ("pickup #1 #2", "unexpected \"#2\"; usage: pickup ID"),
        (
            "power #5 maybe",
            "\"maybe\" is not on or off; usage: power ID on|off",
        ),
        (
            "set #5 colour red",
            "\"colour\" is not ip, customer, label or app; usage: set ID ip|customer|label|app VALUE|none",
        ),
        (
            "set #5 ip 10.0.0.300",
            "\"10.0.0.300\" is not an IPv4 address or none; usage: set ID ip|customer|label|app VALUE|none",
        ),
        (
            "set #5 ip",
            "missing VALUE (or none); usage: set ID ip|customer|label|app VALUE|none",
        ),
        (
            "connect #4 #3:0 customer:4",
            "\"#3:0\" is not DEVICE/PORT or customer:N; usage: connect CABLE END END",
        ),
        (
            "drop #23 1 2 inf",
            "\"inf\" is not a whole number of millimetres; usage: drop ID X Y Z [YAW]",
        ),
        (
            "drop #23 1 2 3 NaN",
            "\"NaN\" is not a heading in degrees; usage: drop ID X Y Z [YAW]",
        ),
        (
            "spawn dragon 0 0 0",
            "\"dragon\" is not an object kind (server1u, rack, cable…); usage: spawn KIND X Y Z [YAW]",
        ),
        (
            "list dragons",
            "\"dragons\" is not an object kind or held; usage: list [KIND|held]",
        ),
    ];
    for (line, message) in cases {
        let error = parse(line).expect_err(line);
        assert_eq!(error.to_string(), message, "{line}");
    }
}

#[test]
fn error_messages_quote_little_of_long_input() {
    let long = "é".repeat(10_000);
    let error = parse(&long).unwrap_err();
    let ParseError::UnknownCommand(quoted) = &error else {
        panic!("{error:?}");
    };
    assert!(quoted.chars().count() <= 41);
    assert!(!error.to_string().contains('\n'));
}

#[test]
fn every_verb_in_the_table_parses_from_its_usage_example() {
    // Fill each usage line's placeholders with valid values: the table and the parser
    // must agree on every verb.
    for verb in VERBS {
        let line = verb
            .usage
            .split_whitespace()
            .map(|word| match word {
                "ID" | "RACK" | "CABLE" | "MODULE" | "SWITCH" => "#1",
                "UNIT" | "PORT" | "SECONDS" | "X" | "Y" | "Z" | "[YAW]" => "1",
                "on|off" => "on",
                "ip|customer|label|app" => "app",
                "VALUE|none" => "none",
                "END" => "customer:1",
                "KIND" => "rack",
                "[KIND|held]" => "held",
                "NAME" => "chat",
                "TARGET" => "p2,p3",
                "reliable|unreliable|sequenced" => "sequenced",
                "[TEXT]" | "TEXT" => "some text",
                other => other,
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            matches!(parse(&line), Ok(Some(_))),
            "{line}: {:?}",
            parse(&line)
        );
    }
}

/// Words a user might type, valid and not.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#23".to_string()),
        Just("#2:5".to_string()),
        Just("customer:4".to_string()),
        Just("#3/0".to_string()),
        Just("none".to_string()),
        Just("on".to_string()),
        Just("-0".to_string()),
        Just("1e400".to_string()),
        Just("4294967296".to_string()),
        Just("#:".to_string()),
        Just("/".to_string()),
        Just("customer:".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        "[#:/a-z0-9.-]{0,12}",
        "\\PC{0,8}",
    ]
}

proptest! {
    #[test]
    fn no_line_panics(line in "\\PC{0,200}") {
        let _ = parse(&line);
    }

    #[test]
    fn no_verb_with_any_arguments_panics(
        verb in proptest::sample::select(VERBS.iter().map(|v| v.name).collect::<Vec<_>>()),
        words in proptest::collection::vec(word(), 0..8),
    ) {
        let line = format!("{verb} {}", words.join(" "));
        if let Ok(Some(Command::Act(request))) = parse(&line) {
            // Turning a spawn into an action must not panic either.
            let _ = request.into_action(&WorldIndex::default(), PlayerId(4095));
        }
    }
}
