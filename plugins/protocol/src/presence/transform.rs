//! The quantized player transform: the one place where a player's float position and
//! heading become wire integers and back.
//!
//! Layout on the wire, fixed 11 bytes (postcard writes a byte array without a length):
//!
//! | bytes | field | unit | range |
//! |---|---|---|---|
//! | 3 | x | centimetre, signed 24-bit | ±83.8 km |
//! | 2 | y | centimetre, signed 16-bit | ±327 m |
//! | 3 | z | centimetre, signed 24-bit | ±83.8 km |
//! | 2 | yaw | 1/65536 turn (the unit object yaws use) | full turn |
//! | 1 | pitch | 1/512 turn, signed | ±90° |
//!
//! Fixed width instead of varints: positions of a walking player are mostly large
//! numbers where varints save nothing, and a fixed size makes the bandwidth of the
//! 20 Hz stream exact (see `tests/presence_wire_sizes.rs`).

use crate::placement::PosMm;
use core::f32::consts::TAU;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes of one [`QuantizedTransform`] on the wire.
pub const TRANSFORM_WIRE_BYTES: usize = 11;

/// Largest horizontal coordinate magnitude, in centimetres (24-bit signed).
pub const MAX_HORIZONTAL_CM: i32 = (1 << 23) - 1;

/// Pitch steps per full turn (a quarter turn up or down fits an `i8`).
pub const PITCH_STEPS_PER_TURN: f32 = 512.0;

/// A player's position and heading, quantized for the wire.
///
/// Build it from the game's floats with [`QuantizedTransform::from_metres`]; every
/// input is accepted (non-finite values become 0, out-of-range values are clamped),
/// so a game bug cannot produce an unsendable value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct QuantizedTransform {
    /// East-west, centimetres, within ±[`MAX_HORIZONTAL_CM`].
    pub x_cm: i32,
    /// Up, centimetres.
    pub y_cm: i16,
    /// North-south, centimetres, within ±[`MAX_HORIZONTAL_CM`].
    pub z_cm: i32,
    /// Heading in 1/65536 of a turn, counter-clockwise seen from above.
    pub yaw: u16,
    /// Look pitch in 1/512 of a turn, positive up.
    pub pitch: i8,
}

impl QuantizedTransform {
    /// Quantizes a position in metres and angles in radians.
    pub fn from_metres(position: [f32; 3], yaw_rad: f32, pitch_rad: f32) -> Self {
        let horizontal = |metres: f32| metres_to_cm(metres, MAX_HORIZONTAL_CM);
        Self {
            x_cm: horizontal(position[0]),
            y_cm: metres_to_cm(position[1], i32::from(i16::MAX)) as i16,
            z_cm: horizontal(position[2]),
            yaw: yaw_from_radians(yaw_rad),
            pitch: pitch_from_radians(pitch_rad),
        }
    }

    /// The position in metres.
    pub fn position_metres(&self) -> [f32; 3] {
        [
            self.x_cm as f32 / 100.0,
            f32::from(self.y_cm) / 100.0,
            self.z_cm as f32 / 100.0,
        ]
    }

    /// The heading in radians, in `0..TAU`.
    pub fn yaw_radians(&self) -> f32 {
        f32::from(self.yaw) / 65536.0 * TAU
    }

    /// The pitch in radians, positive up.
    pub fn pitch_radians(&self) -> f32 {
        f32::from(self.pitch) / PITCH_STEPS_PER_TURN * TAU
    }

    /// The position in the world's millimetres (what object placements use).
    pub fn position_mm(&self) -> PosMm {
        PosMm::new(self.x_cm * 10, i32::from(self.y_cm) * 10, self.z_cm * 10)
    }

    /// The fixed wire bytes.
    pub fn to_bytes(&self) -> [u8; TRANSFORM_WIRE_BYTES] {
        let x = self.x_cm.to_le_bytes();
        let y = self.y_cm.to_le_bytes();
        let z = self.z_cm.to_le_bytes();
        let yaw = self.yaw.to_le_bytes();
        [
            x[0],
            x[1],
            x[2],
            y[0],
            y[1],
            z[0],
            z[1],
            z[2],
            yaw[0],
            yaw[1],
            self.pitch as u8,
        ]
    }

    /// Reads the fixed wire bytes. Every byte pattern is a valid transform.
    pub fn from_bytes(bytes: [u8; TRANSFORM_WIRE_BYTES]) -> Self {
        Self {
            x_cm: i24(bytes[0], bytes[1], bytes[2]),
            y_cm: i16::from_le_bytes([bytes[3], bytes[4]]),
            z_cm: i24(bytes[5], bytes[6], bytes[7]),
            yaw: u16::from_le_bytes([bytes[8], bytes[9]]),
            pitch: bytes[10] as i8,
        }
    }
}

/// Sign-extends a little-endian 24-bit integer.
fn i24(b0: u8, b1: u8, b2: u8) -> i32 {
    i32::from_le_bytes([b0, b1, b2, 0]) << 8 >> 8
}

/// Rounds metres to centimetres within `±limit`; NaN becomes 0 (`as` saturates infinities,
/// the clamp bounds the rest).
fn metres_to_cm(metres: f32, limit: i32) -> i32 {
    if metres.is_nan() {
        return 0;
    }
    ((metres * 100.0).round() as i32).clamp(-limit, limit)
}

fn yaw_from_radians(radians: f32) -> u16 {
    if !radians.is_finite() {
        return 0;
    }
    let turns = (radians / TAU).rem_euclid(1.0);
    // rem_euclid can return exactly 1.0 for tiny negative inputs; the cast wraps it to 0.
    ((turns * 65536.0).round() as u32 & 0xffff) as u16
}

fn pitch_from_radians(radians: f32) -> i8 {
    if radians.is_nan() {
        return 0;
    }
    (radians / TAU * PITCH_STEPS_PER_TURN)
        .round()
        .clamp(-127.0, 127.0) as i8
}

impl Serialize for QuantizedTransform {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_bytes().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for QuantizedTransform {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <[u8; TRANSFORM_WIRE_BYTES]>::deserialize(deserializer).map(Self::from_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::f32::consts::{FRAC_PI_2, PI};

    #[test]
    fn round_trip_is_within_half_a_centimetre() {
        let input = [12.345_f32, 1.734, -87.654];
        let q = QuantizedTransform::from_metres(input, 1.0, 0.3);
        let back = q.position_metres();
        for axis in 0..3 {
            assert!(
                (back[axis] - input[axis]).abs() <= 0.005 + 1e-4,
                "axis {axis}: {back:?}"
            );
        }
        assert_eq!((q.x_cm, q.y_cm, q.z_cm), (1235, 173, -8765));
        assert!((q.yaw_radians() - 1.0).abs() < TAU / 65536.0);
        assert!((q.pitch_radians() - 0.3).abs() < TAU / 512.0);
    }

    #[test]
    fn wire_bytes_round_trip_every_extreme() {
        for q in [
            QuantizedTransform::default(),
            QuantizedTransform {
                x_cm: MAX_HORIZONTAL_CM,
                y_cm: i16::MAX,
                z_cm: -MAX_HORIZONTAL_CM - 1,
                yaw: u16::MAX,
                pitch: i8::MIN,
            },
            QuantizedTransform::from_metres([-3.0, -0.5, 0.01], -PI, -FRAC_PI_2),
        ] {
            let bytes = postcard::to_allocvec(&q).unwrap();
            assert_eq!(bytes.len(), TRANSFORM_WIRE_BYTES);
            assert_eq!(
                postcard::from_bytes::<QuantizedTransform>(&bytes).unwrap(),
                q
            );
        }
    }

    #[test]
    fn hostile_floats_are_clamped_never_wrapped() {
        let q = QuantizedTransform::from_metres([f32::NAN, f32::INFINITY, -1.0e9], f32::NAN, 9.0);
        assert_eq!(q.x_cm, 0);
        assert_eq!(q.y_cm, i16::MAX);
        assert_eq!(q.z_cm, -MAX_HORIZONTAL_CM);
        assert_eq!(q.yaw, 0);
        assert_eq!(q.pitch, 127);
    }

    #[test]
    fn yaw_wraps_to_one_turn_and_matches_object_yaw_units() {
        assert_eq!(yaw_from_radians(FRAC_PI_2), 16384);
        assert_eq!(yaw_from_radians(-FRAC_PI_2), 49152);
        assert_eq!(yaw_from_radians(TAU), 0);
        assert_eq!(yaw_from_radians(-1.0e-9), 0);
    }

    #[test]
    fn millimetres_follow_centimetres() {
        let q = QuantizedTransform::from_metres([1.5, 0.25, -2.0], 0.0, 0.0);
        assert_eq!(q.position_mm(), PosMm::new(1500, 250, -2000));
    }
}
