//! How the prompt and the console print actions, their outcomes and remote changes: one
//! line each, with a stable first word (`accepted`, `rejected`, `timed out`, `dropped`,
//! `remote`, …) that scripts and tests match on. Ids, positions and cable ends print in
//! the syntax the command language reads them in.

use core::fmt;
use racksync_protocol::{Action, CableEnd, PosMm, Property, RackSlot};
use racksync_rollback::{ActionOutcome, RemoteChange};

/// Displays an action, e.g. `install_in_rack #23 -> #1 u1`.
pub struct ShowAction<'a>(pub &'a Action);

impl fmt::Display for ShowAction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.0.name();
        match self.0 {
            Action::PickUp { object }
            | Action::RemoveFromRack { object }
            | Action::Destroy { object }
            | Action::Repair { object }
            | Action::Break { object }
            | Action::DisconnectCable { cable: object }
            | Action::RemoveSfp { module: object } => write!(f, "{name} {object}"),
            Action::Drop { object, pos, yaw } | Action::Release { object, pos, yaw } => {
                write!(f, "{name} {object} at {}", ShowPos(*pos, *yaw))
            }
            Action::InstallInRack { object, slot } => {
                write!(f, "{name} {object} -> {}", ShowSlot(*slot, 1))
            }
            Action::SetPower { object, on } => {
                write!(f, "{name} {object} {}", if *on { "on" } else { "off" })
            }
            Action::SetProperty { object, value } => {
                write!(f, "{name} {object} {}=", value.key())?;
                match value {
                    Property::Ip(ip) => show_option(f, ip.as_ref()),
                    Property::Customer(n) | Property::App(n) => show_option(f, n.as_ref()),
                    // Debug-quoted: a label is free text and may hold spaces.
                    Property::Label(Some(label)) => write!(f, "{label:?}"),
                    Property::Label(None) => f.write_str("none"),
                }
            }
            Action::ConnectCable { cable, ends } => write!(
                f,
                "{name} {cable} {} <-> {}",
                ShowEnd(ends[0]),
                ShowEnd(ends[1])
            ),
            Action::Spawn {
                object,
                kind,
                pos,
                yaw,
            } => write!(
                f,
                "{name} {object} {} at {}",
                kind.name(),
                ShowPos(*pos, *yaw)
            ),
            Action::InsertSfp {
                module,
                switch,
                port,
            } => write!(f, "{name} {module} -> {switch}/{port}"),
            Action::Wear { seconds } => write!(f, "{name} {seconds}s"),
        }
    }
}

fn show_option(f: &mut fmt::Formatter<'_>, value: Option<&impl fmt::Display>) -> fmt::Result {
    match value {
        Some(value) => write!(f, "{value}"),
        None => f.write_str("none"),
    }
}

/// Displays a floor position as `X Y Z yaw DEG` (millimetres, degrees).
pub struct ShowPos(pub PosMm, pub u16);

impl fmt::Display for ShowPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let degrees = f64::from(self.1) * 360.0 / 65536.0;
        write!(f, "{} {} {} yaw {degrees:.1}", self.0.x, self.0.y, self.0.z)
    }
}

/// Displays a rack slot as `#1 u4`, or `#1 u6-8` for a device `height` units tall.
pub struct ShowSlot(pub RackSlot, pub u8);

impl fmt::Display for ShowSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let RackSlot { rack, unit } = self.0;
        if self.1 > 1 {
            let top = u16::from(unit) + u16::from(self.1) - 1;
            write!(f, "{rack} u{unit}-{top}")
        } else {
            write!(f, "{rack} u{unit}")
        }
    }
}

/// Displays a cable end as `#3/0` (device and port) or `customer:4`.
pub struct ShowEnd(pub CableEnd);

impl fmt::Display for ShowEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            CableEnd::Port { device, port } => write!(f, "{device}/{port}"),
            CableEnd::Customer(customer) => write!(f, "customer:{customer}"),
        }
    }
}

/// The line printed for what became of one of the local player's actions.
pub fn outcome_line(outcome: &ActionOutcome) -> String {
    match outcome {
        ActionOutcome::Accepted {
            seq,
            action,
            revision,
        } => format!(
            "accepted seq={seq} {} revision={revision}",
            ShowAction(action)
        ),
        ActionOutcome::Rejected {
            seq,
            action,
            reason,
        } => format!(
            "rejected seq={seq} {}: {reason} (rolled back)",
            ShowAction(action)
        ),
        ActionOutcome::RejectedLocally { action, reason } => {
            format!("rejected locally {}: {reason}", ShowAction(action))
        }
        ActionOutcome::NotPlaying { action } => {
            format!("not playing {}: not sent", ShowAction(action))
        }
        ActionOutcome::TimedOut { seq, action } => format!(
            "timed out seq={seq} {}: no answer from the host (rolled back)",
            ShowAction(action)
        ),
        ActionOutcome::DroppedOnReplay {
            seq,
            action,
            reason,
        } => format!(
            "dropped seq={seq} {}: {reason} after a host update (rolled back)",
            ShowAction(action)
        ),
    }
}

/// The line printed for a change another player or the host made.
pub fn remote_line(change: &RemoteChange) -> String {
    format!(
        "remote revision={} by {}: {}",
        change.revision,
        change.actor,
        ShowAction(&change.action)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use racksync_protocol::{ObjectId, ObjectKind, PlayerId, Rejection, Revision};

    const SERVER: ObjectId = ObjectId::new(0, 23);
    const RACK: ObjectId = ObjectId::new(0, 1);

    fn install() -> Action {
        Action::InstallInRack {
            object: SERVER,
            slot: RackSlot {
                rack: RACK,
                unit: 4,
            },
        }
    }

    #[test]
    fn outcomes_print_with_stable_prefixes_and_reasons() {
        let cases = [
            (
                ActionOutcome::Accepted {
                    seq: 3,
                    action: install(),
                    revision: Revision(12),
                },
                "accepted seq=3 install_in_rack #23 -> #1 u4 revision=12",
            ),
            (
                ActionOutcome::Rejected {
                    seq: 4,
                    action: install(),
                    reason: Rejection::SlotOccupied(ObjectId::new(0, 5)),
                },
                "rejected seq=4 install_in_rack #23 -> #1 u4: slot occupied by #5 (rolled back)",
            ),
            (
                ActionOutcome::RejectedLocally {
                    action: install(),
                    reason: Rejection::NotHeld,
                },
                "rejected locally install_in_rack #23 -> #1 u4: object is not in your hand",
            ),
            (
                ActionOutcome::TimedOut {
                    seq: 5,
                    action: Action::PickUp { object: SERVER },
                },
                "timed out seq=5 pick_up #23: no answer from the host (rolled back)",
            ),
            (
                ActionOutcome::DroppedOnReplay {
                    seq: 6,
                    action: install(),
                    reason: Rejection::HeldByOther(PlayerId(2)),
                },
                "dropped seq=6 install_in_rack #23 -> #1 u4: object is held by p2 after a host update (rolled back)",
            ),
            (
                ActionOutcome::NotPlaying { action: install() },
                "not playing install_in_rack #23 -> #1 u4: not sent",
            ),
        ];
        for (outcome, line) in cases {
            assert_eq!(outcome_line(&outcome), line);
        }
    }

    #[test]
    fn remote_changes_name_revision_and_actor() {
        let change = RemoteChange {
            revision: Revision(13),
            actor: PlayerId(2),
            action: install(),
        };
        assert_eq!(
            remote_line(&change),
            "remote revision=13 by p2: install_in_rack #23 -> #1 u4"
        );
        let by_host = RemoteChange {
            actor: PlayerId::HOST,
            action: Action::Break { object: SERVER },
            ..change
        };
        assert_eq!(
            remote_line(&by_host),
            "remote revision=13 by host: break #23"
        );
    }

    #[test]
    fn actions_print_in_the_syntax_they_are_typed_in() {
        let spawn = Action::Spawn {
            object: ObjectId::new(2, 1),
            kind: ObjectKind::Server3U,
            pos: PosMm::new(-100, 0, 2500),
            yaw: 16384,
        };
        assert_eq!(
            ShowAction(&spawn).to_string(),
            "spawn #2:1 server3u at -100 0 2500 yaw 90.0"
        );
        let connect = Action::ConnectCable {
            cable: ObjectId::new(0, 4),
            ends: [
                CableEnd::Port {
                    device: ObjectId::new(0, 3),
                    port: 0,
                },
                CableEnd::Customer(4),
            ],
        };
        assert_eq!(
            ShowAction(&connect).to_string(),
            "connect_cable #4 #3/0 <-> customer:4"
        );
        let label = Action::SetProperty {
            object: SERVER,
            value: Property::Label(Some("web 1".into())),
        };
        assert_eq!(
            ShowAction(&label).to_string(),
            "set_property #23 label=\"web 1\""
        );
        assert_eq!(
            ShowSlot(
                RackSlot {
                    rack: RACK,
                    unit: 6
                },
                3
            )
            .to_string(),
            "#1 u6-8"
        );
    }
}
