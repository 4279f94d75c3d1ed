//! A player's carry / crouch / sit state, one byte on the `state` channel.
//!
//! What a player holds is not repeated here: the world replicates it reliably as
//! `Placement::Held(player)`, and a second, unreliable copy could only contradict it.
//! `carrying` is the pose (arms out, slower walk) the game shows while the hand is full.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How the player's body is positioned. Crouching and sitting exclude each other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Posture {
    /// Standing or walking.
    #[default]
    Standing,
    /// Crouching.
    Crouching,
    /// Sitting.
    Sitting,
}

/// Everything the `state` channel says about a player.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PlayerState {
    /// Shown in the carry pose.
    pub carrying: bool,
    /// Standing, crouching or sitting.
    pub posture: Posture,
}

/// Bit of the wire byte that holds `carrying`; bits 0–1 hold the posture.
const CARRY_BIT: u8 = 0b100;
const POSTURE_MASK: u8 = 0b011;

impl PlayerState {
    /// The wire byte: posture in bits 0–1, carrying in bit 2, the rest zero.
    pub fn to_byte(self) -> u8 {
        let posture = match self.posture {
            Posture::Standing => 0,
            Posture::Crouching => 1,
            Posture::Sitting => 2,
        };
        posture | if self.carrying { CARRY_BIT } else { 0 }
    }

    /// Reads the wire byte; `None` for a posture of 3 or any reserved bit set, so that a
    /// peer cannot smuggle meaning into bits this build does not understand.
    pub fn from_byte(byte: u8) -> Option<Self> {
        if byte & !(CARRY_BIT | POSTURE_MASK) != 0 {
            return None;
        }
        let posture = match byte & POSTURE_MASK {
            0 => Posture::Standing,
            1 => Posture::Crouching,
            2 => Posture::Sitting,
            _ => return None,
        };
        Some(Self {
            carrying: byte & CARRY_BIT != 0,
            posture,
        })
    }
}

impl Serialize for PlayerState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.to_byte())
    }
}

impl<'de> Deserialize<'de> for PlayerState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let byte = u8::deserialize(deserializer)?;
        Self::from_byte(byte).ok_or_else(|| serde::de::Error::custom("invalid player state byte"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips_in_one_byte() {
        for carrying in [false, true] {
            for posture in [Posture::Standing, Posture::Crouching, Posture::Sitting] {
                let state = PlayerState { carrying, posture };
                let bytes = postcard::to_allocvec(&state).unwrap();
                assert_eq!(bytes.len(), 1);
                assert_eq!(postcard::from_bytes::<PlayerState>(&bytes).unwrap(), state);
            }
        }
    }

    #[test]
    fn reserved_bits_and_unknown_postures_are_refused() {
        let valid = (0..=u8::MAX).filter(|b| PlayerState::from_byte(*b).is_some());
        assert_eq!(valid.count(), 6);
        assert!(postcard::from_bytes::<PlayerState>(&[3]).is_err());
        assert!(postcard::from_bytes::<PlayerState>(&[0x80]).is_err());
    }
}
