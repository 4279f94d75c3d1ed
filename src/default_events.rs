//! The network events `racksync host`, `racksync client`, the scenario bots and the
//! harness register, so the prototypes can talk out of the box. A game registers its
//! own in the `EventRegistry` resource of its host and clients.

use racksync_protocol::ParamKind;
use racksync_replication::messaging::{EventDef, EventRegistry};

/// `chat` (one text, 5/s), `wave` (no parameters, 5/s), `ping` (any parameters, 20/s).
pub fn default_events() -> EventRegistry {
    let mut registry = EventRegistry::default();
    registry
        .register_with(
            "chat",
            EventDef {
                params: Some(vec![ParamKind::Text]),
                rate_per_s: 5,
            },
        )
        .register_with(
            "wave",
            EventDef {
                params: Some(Vec::new()),
                rate_per_s: 5,
            },
        )
        .register_with(
            "ping",
            EventDef {
                params: None,
                rate_per_s: 20,
            },
        );
    registry
}
