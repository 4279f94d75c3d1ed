//! The confirmed (host-authoritative) state of objects whose local state is a
//! prediction.
//!
//! A client applies its own actions at once; until the host decides, the local world
//! holds predictions. The rollback plugin records here the confirmed state of every
//! object a pending prediction changed, and the audit compares the *confirmed* world by
//! looking through this overlay, so predictions in flight never count as divergence.
//! Both plugins are siblings that cannot see each other; this resource is their shared
//! contract.

use bevy_ecs::prelude::*;
use racksync_protocol::{ObjectId, ObjectRecord};
use std::collections::BTreeMap;

/// Confirmed state of every predicted object: `Some(record)`, or `None` for an object
/// the host does not have (an optimistic spawn).
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct ConfirmedOverlay {
    entries: BTreeMap<ObjectId, Option<ObjectRecord>>,
    rebase: bool,
}

impl ConfirmedOverlay {
    /// Records `confirmed` as the confirmed state of `id` unless one is recorded already
    /// (the first prediction on an object is the one that hides the confirmed state).
    pub fn remember(&mut self, id: ObjectId, confirmed: Option<ObjectRecord>) {
        self.entries.entry(id).or_insert(confirmed);
    }

    /// Takes every entry out (rollback's rewind), leaving the overlay empty.
    pub fn take(&mut self) -> BTreeMap<ObjectId, Option<ObjectRecord>> {
        std::mem::take(&mut self.entries)
    }

    /// The confirmed state of a predicted object; `None` when `id` is not predicted.
    pub fn get(&self, id: ObjectId) -> Option<&Option<ObjectRecord>> {
        self.entries.get(&id)
    }

    /// True when `id` has a prediction on top of its confirmed state.
    pub fn contains(&self, id: ObjectId) -> bool {
        self.entries.contains_key(&id)
    }

    /// Every predicted object with its confirmed state, ascending by id.
    pub fn iter(&self) -> impl Iterator<Item = (ObjectId, &Option<ObjectRecord>)> {
        self.entries.iter().map(|(id, state)| (*id, state))
    }

    /// Number of predicted objects.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is predicted: the local world is the confirmed world.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Replaces the confirmed state of a predicted object from outside the rollback
    /// plugin (an audit resync) and asks rollback to rebase its predictions on it.
    pub fn correct(&mut self, id: ObjectId, confirmed: Option<ObjectRecord>) {
        self.entries.insert(id, confirmed);
        self.rebase = true;
    }

    /// Asks rollback to rewind and replay its predictions: the confirmed world changed
    /// under them.
    pub fn request_rebase(&mut self) {
        self.rebase = true;
    }

    /// True once after [`ConfirmedOverlay::correct`] or
    /// [`ConfirmedOverlay::request_rebase`]; clears the request.
    pub fn take_rebase(&mut self) -> bool {
        std::mem::take(&mut self.rebase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_confirmed_state_wins_until_corrected() {
        let id = ObjectId::new(0, 1);
        let mut overlay = ConfirmedOverlay::default();
        overlay.remember(id, None);
        overlay.remember(
            id,
            Some(crate::generate_world(1, 1).objects[0].clone().into()),
        );
        assert_eq!(overlay.get(id), Some(&None));
        assert!(!overlay.take_rebase());
        overlay.correct(id, None);
        assert!(overlay.take_rebase());
        assert!(!overlay.take_rebase());
        assert_eq!(overlay.take().len(), 1);
        assert!(overlay.is_empty());
    }
}
