//! The client side of presence: the local player's uplink, the other players' downlink.

pub mod local;
pub mod remote;
