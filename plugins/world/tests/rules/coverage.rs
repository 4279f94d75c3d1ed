//! Coverage that cannot rot: every [`Rejection`] variant and every action kind must be
//! exercised by some case of the rejection tables.
//!
//! [`variant`] matches every variant without a wildcard, so adding a variant does not
//! compile until it is given an index here, and the test then fails until some case
//! produces it.

use crate::fixture::{Case, run_cases};
use racksync_protocol::{Action, Rejection};

/// Number of [`Rejection`] variants.
const VARIANTS: usize = 35;

/// The position of a rejection's variant, with its name.
fn variant(rejection: &Rejection) -> (usize, &'static str) {
    match rejection {
        Rejection::UnknownObject(_) => (0, "UnknownObject"),
        Rejection::WrongKind(_) => (1, "WrongKind"),
        Rejection::HeldByOther(_) => (2, "HeldByOther"),
        Rejection::NotHeld => (3, "NotHeld"),
        Rejection::HandFull => (4, "HandFull"),
        Rejection::NotOnFloor => (5, "NotOnFloor"),
        Rejection::NotARack(_) => (6, "NotARack"),
        Rejection::RackNotStanding => (7, "RackNotStanding"),
        Rejection::RackNotEmpty(_) => (8, "RackNotEmpty"),
        Rejection::OutsideRack { .. } => (9, "OutsideRack"),
        Rejection::SlotOccupied(_) => (10, "SlotOccupied"),
        Rejection::NotInRack => (11, "NotInRack"),
        Rejection::CablesAttached(_) => (12, "CablesAttached"),
        Rejection::ModulesInserted(_) => (13, "ModulesInserted"),
        Rejection::OutOfBounds => (14, "OutOfBounds"),
        Rejection::HostOnly => (15, "HostOnly"),
        Rejection::NoChange => (16, "NoChange"),
        Rejection::DeviceBroken => (17, "DeviceBroken"),
        Rejection::NothingToRepair => (18, "NothingToRepair"),
        Rejection::EndOfLife => (19, "EndOfLife"),
        Rejection::InvalidIp => (20, "InvalidIp"),
        Rejection::DuplicateIp(_) => (21, "DuplicateIp"),
        Rejection::InvalidLabel => (22, "InvalidLabel"),
        Rejection::UnknownCustomer(_) => (23, "UnknownCustomer"),
        Rejection::CableConnected => (24, "CableConnected"),
        Rejection::CableNotConnected => (25, "CableNotConnected"),
        Rejection::SameEndpoints => (26, "SameEndpoints"),
        Rejection::NoSuchPort { .. } => (27, "NoSuchPort"),
        Rejection::PortTaken(_) => (28, "PortTaken"),
        Rejection::NoModule { .. } => (29, "NoModule"),
        Rejection::NotInstalled(_) => (30, "NotInstalled"),
        Rejection::NotASwitch(_) => (31, "NotASwitch"),
        Rejection::NotInPort => (32, "NotInPort"),
        Rejection::WrongNamespace => (33, "WrongNamespace"),
        Rejection::IdTaken(_) => (34, "IdTaken"),
        // Produced by the host's action budget before the rules see the action, so no
        // rules case can produce it; tests/budgets.rs covers it.
        Rejection::RateLimited => (usize::MAX, "RateLimited"),
    }
}

/// Every rejection case of every family.
fn all_cases() -> Vec<Case> {
    [
        crate::hands::cases(),
        crate::rack::cases(),
        crate::power::cases(),
        crate::property::cases(),
        crate::cable::cases(),
        crate::sfp::cases(),
        crate::lifecycle::cases(),
        crate::health::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn every_rejection_variant_is_produced_by_a_case() {
    let cases = all_cases();
    // The tables really produce what they claim (each family also runs its own table).
    run_cases(&cases);
    let mut names = [""; VARIANTS];
    let mut seen = [false; VARIANTS];
    for case in &cases {
        let (index, name) = variant(&case.expected);
        assert!(index < VARIANTS, "raise VARIANTS to cover {name}");
        names[index] = name;
        seen[index] = true;
    }
    let missing: Vec<usize> = (0..VARIANTS).filter(|i| !seen[*i]).collect();
    assert!(
        missing.is_empty(),
        "no case produces rejection variants {missing:?}"
    );
    assert!(names.iter().all(|n| !n.is_empty()));
}

#[test]
fn every_action_kind_has_rejection_cases_and_host_only_kinds_refuse_players() {
    let cases = all_cases();
    let mut seen = [false; Action::NAMES.len()];
    let mut host_only_refused = [false; Action::NAMES.len()];
    for case in &cases {
        let kind = case.action.kind_index();
        seen[kind] = true;
        if case.expected == Rejection::HostOnly {
            assert!(
                case.action.is_host_only(),
                "`{}`: HostOnly for a player action",
                case.name
            );
            host_only_refused[kind] = true;
        }
    }
    for (kind, name) in Action::NAMES.iter().enumerate() {
        assert!(seen[kind], "no rejection case for {name}");
    }
    for (kind, name) in ["break", "wear", "release"]
        .iter()
        .map(|n| (Action::NAMES.iter().position(|x| x == n).unwrap(), n))
    {
        assert!(
            host_only_refused[kind],
            "{name} is never refused to a player"
        );
    }
}
