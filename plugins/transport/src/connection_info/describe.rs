//! A [`ConnectionInfo`] as one line of text, for the client prototype's prompt.

use super::ConnectionInfo;

/// One line starting with `connection `, e.g.
/// `connection state=connected ping=32ms loss=0.0% quality=97 in=1.2KB/s 14pkt/s
/// out=812B/s 12pkt/s pending=0B reliable 0B unreliable queue=0ms`.
///
/// Byte figures below 1 KiB are whole bytes, then KB and MB with one decimal (1 KB =
/// 1024 bytes); packet rates and times are rounded to whole numbers; a queue that is
/// not draining at all prints as `queue=stalled`.
pub fn describe_connection(info: &ConnectionInfo) -> String {
    let queue = if info.queue_time_ms.is_finite() {
        format!("{:.0}ms", info.queue_time_ms)
    } else {
        "stalled".to_string()
    };
    format!(
        "connection state={} ping={:.0}ms loss={:.1}% quality={} in={}/s {:.0}pkt/s \
         out={}/s {:.0}pkt/s pending={} reliable {} unreliable queue={queue}",
        info.state.as_str(),
        info.ping_ms,
        info.packet_loss * 100.0,
        info.quality,
        bytes(f64::from(info.bytes_in_per_s)),
        info.packets_in_per_s,
        bytes(f64::from(info.bytes_out_per_s)),
        info.packets_out_per_s,
        bytes(info.pending_reliable_bytes as f64),
        bytes(info.pending_unreliable_bytes as f64),
    )
}

fn bytes(value: f64) -> String {
    const KB: f64 = 1024.0;
    const MB: f64 = 1024.0 * 1024.0;
    // Decided on the rounded value, so 1023.7 prints as 1.0KB, not 1024B.
    if value.round() < KB {
        format!("{value:.0}B")
    } else if value < MB - 0.05 * KB {
        format!("{:.1}KB", value / KB)
    } else {
        format!("{:.1}MB", value / MB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection_info::ConnectionState;

    #[test]
    fn a_healthy_connection() {
        let info = ConnectionInfo {
            state: ConnectionState::Connected,
            ping_ms: 31.6,
            packet_loss: 0.0,
            quality: 97,
            bytes_in_per_s: 1228.8,
            bytes_out_per_s: 812.0,
            packets_in_per_s: 14.2,
            packets_out_per_s: 11.6,
            pending_reliable_bytes: 0,
            pending_unreliable_bytes: 0,
            queue_time_ms: 0.0,
        };
        assert_eq!(
            describe_connection(&info),
            "connection state=connected ping=32ms loss=0.0% quality=97 in=1.2KB/s 14pkt/s \
             out=812B/s 12pkt/s pending=0B reliable 0B unreliable queue=0ms"
        );
    }

    #[test]
    fn a_stalled_connection() {
        let info = ConnectionInfo {
            state: ConnectionState::Connecting,
            packet_loss: 0.125,
            pending_reliable_bytes: 3 * 1024 * 1024,
            pending_unreliable_bytes: 1023,
            queue_time_ms: f32::INFINITY,
            ..ConnectionInfo::default()
        };
        let line = describe_connection(&info);
        assert!(line.starts_with("connection state=connecting "), "{line}");
        assert!(
            line.contains(" loss=12.5% quality=0 in=0B/s 0pkt/s "),
            "{line}"
        );
        assert!(
            line.ends_with(" pending=3.0MB reliable 1023B unreliable queue=stalled"),
            "{line}"
        );
        assert_eq!(line.lines().count(), 1);
    }

    #[test]
    fn byte_units() {
        assert_eq!(bytes(0.0), "0B");
        assert_eq!(bytes(1023.4), "1023B");
        assert_eq!(bytes(1023.6), "1.0KB");
        assert_eq!(bytes(1536.0), "1.5KB");
        assert_eq!(bytes(1024.0 * 1024.0 - 1.0), "1.0MB");
        assert_eq!(bytes(5.0 * 1024.0 * 1024.0), "5.0MB");
    }
}
