//! Wear arithmetic of powered devices, shared by the rules and the host simulation.
//!
//! A powered, working device loses running time from both its time-to-break and its
//! end-of-life budget. It breaks when either reaches zero. Inside the warning window the
//! device warns until a player repairs it; at end of life it cannot be repaired.

use racksync_protocol::{Health, ObjectKind};

/// Seconds of running time left at which a device starts to warn.
pub const WARNING_SECONDS: u32 = 3_600;
/// Time-to-break a repair gives a device (never beyond its end of life).
pub const REPAIR_LIFETIME_SECONDS: u32 = 100_000;
/// Time-to-break of a newly spawned device.
pub const NEW_DEVICE_LIFETIME_SECONDS: u32 = 150_000;
/// End-of-life budget of a newly spawned device.
pub const NEW_DEVICE_EOL_SECONDS: u32 = 600_000;

/// Health of a new object of `kind`.
pub fn new_health(kind: ObjectKind) -> Health {
    if kind.is_powered_device() {
        Health {
            broken: false,
            time_to_break: NEW_DEVICE_LIFETIME_SECONDS,
            eol_time: NEW_DEVICE_EOL_SECONDS,
            warning_cleared: false,
        }
    } else {
        Health::default()
    }
}

/// True when the device shows a wear warning nobody has dealt with.
pub fn is_warning(health: &Health) -> bool {
    !health.broken && health.time_to_break <= WARNING_SECONDS && !health.warning_cleared
}

/// True when the device has used up its end-of-life budget.
pub fn is_end_of_life(health: &Health) -> bool {
    health.eol_time == 0
}

/// Health after `seconds` of running time.
pub fn worn(health: Health, seconds: u32) -> Health {
    let mut next = health;
    next.time_to_break = health.time_to_break.saturating_sub(seconds);
    next.eol_time = health.eol_time.saturating_sub(seconds);
    if health.time_to_break > WARNING_SECONDS && next.time_to_break <= WARNING_SECONDS {
        // Entering the warning window raises a fresh warning.
        next.warning_cleared = false;
    }
    if next.time_to_break == 0 || next.eol_time == 0 {
        next.broken = true;
    }
    next
}

/// Health after a repair.
pub fn repaired(health: Health) -> Health {
    Health {
        broken: false,
        time_to_break: REPAIR_LIFETIME_SECONDS.min(health.eol_time),
        eol_time: health.eol_time,
        warning_cleared: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wear_breaks_at_zero_and_warns_on_entering_the_window() {
        let fresh = Health {
            broken: false,
            time_to_break: WARNING_SECONDS + 10,
            eol_time: 1_000_000,
            warning_cleared: true,
        };
        let warned = worn(fresh, 20);
        assert!(is_warning(&warned));
        assert!(!warned.broken);
        let broken = worn(warned, WARNING_SECONDS);
        assert!(broken.broken);
        assert_eq!(broken.time_to_break, 0);
        assert!(!is_warning(&broken));
    }

    #[test]
    fn end_of_life_breaks_and_caps_repairs() {
        let old = Health {
            broken: false,
            time_to_break: 50_000,
            eol_time: 30,
            warning_cleared: false,
        };
        let dead = worn(old, 30);
        assert!(dead.broken && is_end_of_life(&dead));
        let nearly = worn(old, 10);
        assert_eq!(repaired(nearly).time_to_break, 20);
    }
}
