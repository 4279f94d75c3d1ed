//! Scenario files: every shipped scenario parses; unknown fields, bad values and broken
//! references are errors that name the line.

use racksync::scenario::{Scenario, ScenarioError};
use std::path::Path;

#[test]
fn every_shipped_scenario_parses() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
            names.push(scenario.name);
        }
    }
    names.sort();
    assert_eq!(
        names,
        [
            "churn",
            "late-join",
            "lossy-link",
            "p8",
            "rack-rush",
            "smoke",
            "soak"
        ]
    );
}

fn error_of(text: &str) -> String {
    match Scenario::parse(text, Path::new("x.ron")) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const GOOD: &str = r#"Scenario(
    name: "t",
    world: Default,
    duration_s: 5,
    groups: [
        ClientGroup(
            name: "a",
            clients: 2,
            link: Link(loss: 0.1),
        ),
    ],
    faults: [
        TimedFault(at_s: 1, fault: LinkCut(group: "a", clients: 1, for_s: 2)),
    ],
)"#;

#[test]
fn a_good_file_parses_with_defaults() {
    let scenario = Scenario::parse(GOOD, Path::new("x.ron")).unwrap();
    assert_eq!(scenario.tick_hz.get(), 30);
    assert!(scenario.expect.converged);
    assert_eq!(scenario.groups[0].behaviour.movement_hz.get(), 20.0);
    assert_eq!(scenario.total_clients(), 2);
}

#[test]
fn an_unknown_field_names_its_line() {
    let text = GOOD.replace("clients: 2,", "clients: 2,\n            colour: 3,");
    let error = error_of(&text);
    assert!(error.starts_with("x.ron:9:"), "{error}");
    assert!(error.contains("colour"), "{error}");
}

#[test]
fn a_bad_value_names_its_line() {
    let error = error_of(&GOOD.replace("loss: 0.1", "loss: 1.5"));
    assert!(error.starts_with("x.ron:9:"), "{error}");
    assert!(error.contains("1.5 is not a probability"), "{error}");
    let error = error_of(&GOOD.replace("duration_s: 5", "duration_s: -5"));
    assert!(error.starts_with("x.ron:4:"), "{error}");
}

#[test]
fn a_fault_naming_an_unknown_group_names_its_line() {
    let text = GOOD.replace("LinkCut(group: \"a\"", "LinkCut(group: \"b\"");
    match Scenario::parse(&text, Path::new("x.ron")) {
        Err(ScenarioError::Invalid { line, message, .. }) => {
            assert_eq!(line, 13);
            assert!(message.contains("unknown group"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_fault_after_the_end_or_on_too_many_clients_is_refused() {
    assert!(error_of(&GOOD.replace("at_s: 1", "at_s: 9")).contains("after the run ends"));
    assert!(error_of(&GOOD.replace("clients: 1,", "clients: 3,")).contains("which has 2"));
}
