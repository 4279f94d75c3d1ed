//! The host side of presence: receive, drop the silent, keep the roster, relay.

pub mod book;
pub mod receive;
pub mod relay;
pub mod roster;
