//! The whitelist of network events: only registered names are sent or delivered.

use bevy_ecs::prelude::*;
use racksync_protocol::events::check_shape;
use racksync_protocol::{EventError, EventParam, EventTarget, ParamKind};
use std::collections::BTreeMap;

/// Events per second an event may be sent at unless registered otherwise.
pub const DEFAULT_EVENT_RATE: u8 = 5;
/// The highest per-event rate that can be registered.
pub const MAX_EVENT_RATE: u8 = 100;

/// How one registered event is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDef {
    /// The parameter types, in order; `None` accepts any (up to eight).
    pub params: Option<Vec<ParamKind>>,
    /// Events per second a player may send it, 1..=100 (a big event counts once per
    /// started kilobyte of parameters).
    pub rate_per_s: u8,
}

impl Default for EventDef {
    fn default() -> Self {
        Self {
            params: None,
            rate_per_s: DEFAULT_EVENT_RATE,
        }
    }
}

/// Registered events by name, as a resource on the host and on every client. Host and
/// clients must register the same events (the host refuses the others).
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct EventRegistry {
    events: BTreeMap<String, EventDef>,
}

impl EventRegistry {
    /// Registers `name` with the default rate and any parameters.
    pub fn register(&mut self, name: &str) -> &mut Self {
        self.register_with(name, EventDef::default())
    }

    /// Registers `name` as `def` says. Panics on a rate outside 1..=100 or a name that
    /// is empty or longer than 64 bytes: those are programming errors of the game.
    pub fn register_with(&mut self, name: &str, def: EventDef) -> &mut Self {
        assert!(
            (1..=MAX_EVENT_RATE).contains(&def.rate_per_s),
            "event {name:?}: rate_per_s must be 1..={MAX_EVENT_RATE}, got {}",
            def.rate_per_s
        );
        assert!(
            check_shape(name, &EventTarget::Local, &[]).is_ok(),
            "event names are 1..=64 bytes: {name:?}"
        );
        if let Some(params) = &def.params {
            assert!(
                params.len() <= racksync_protocol::events::MAX_EVENT_PARAMS,
                "event {name:?}: at most 8 parameters"
            );
        }
        self.events.insert(name.to_string(), def);
        self
    }

    /// The definition of `name`.
    pub fn get(&self, name: &str) -> Option<&EventDef> {
        self.events.get(name)
    }

    /// Checks an event against the registry and the protocol's limits.
    pub fn check(
        &self,
        name: &str,
        target: &EventTarget,
        params: &[EventParam],
    ) -> Result<&EventDef, EventError> {
        check_shape(name, target, params)?;
        let def = self
            .events
            .get(name)
            .ok_or_else(|| EventError::Unregistered(name.to_string()))?;
        if let Some(kinds) = &def.params {
            let given: Vec<ParamKind> = params.iter().map(EventParam::kind).collect();
            if &given != kinds {
                return Err(EventError::WrongParams {
                    expected: format!("{kinds:?}"),
                    got: format!("{given:?}"),
                });
            }
        }
        Ok(def)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_names_and_parameter_types() {
        let mut registry = EventRegistry::default();
        registry.register("wave").register_with(
            "score",
            EventDef {
                params: Some(vec![ParamKind::Player, ParamKind::Int]),
                rate_per_s: 10,
            },
        );
        assert!(registry.check("wave", &EventTarget::All, &[]).is_ok());
        assert_eq!(
            registry.check("dance", &EventTarget::All, &[]),
            Err(EventError::Unregistered("dance".into()))
        );
        let ok = [
            EventParam::Player(racksync_protocol::PlayerId(2)),
            EventParam::Int(3),
        ];
        assert_eq!(
            registry
                .check("score", &EventTarget::All, &ok)
                .unwrap()
                .rate_per_s,
            10
        );
        assert!(matches!(
            registry.check("score", &EventTarget::All, &[EventParam::Int(3)]),
            Err(EventError::WrongParams { .. })
        ));
    }

    #[test]
    #[should_panic(expected = "rate_per_s must be 1..=100")]
    fn a_rate_above_100_is_a_programming_error() {
        EventRegistry::default().register_with(
            "x",
            EventDef {
                params: None,
                rate_per_s: 101,
            },
        );
    }
}
