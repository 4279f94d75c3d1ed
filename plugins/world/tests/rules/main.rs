//! The world rules, action by action: every legal case with its exact result, every
//! rejection reason with its exact [`Rejection`], a coverage check that every rejection
//! variant is produced somewhere, and random action sequences against generated worlds.
//!
//! One test binary (one link on a busy machine); one module per action family.

mod fixture;

mod cable;
mod consistency;
mod coverage;
mod hands;
mod health;
mod lifecycle;
mod power;
mod property;
mod rack;
mod random;
mod sfp;
