//! An SVG chart of a run: ACK latency and bandwidth over time, from the report's
//! timeline. Plain SVG, no dependencies: it opens in any browser and renders on GitHub.

use super::report::{Report, TimelinePoint};
use std::fmt::Write;

const WIDTH: f64 = 900.0;
const PANEL: f64 = 200.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const GAP: f64 = 60.0;

/// One line of a panel.
struct Series<'a> {
    label: &'a str,
    colour: &'a str,
    value: fn(&TimelinePoint) -> f64,
}

/// Renders the chart.
pub fn render(report: &Report) -> String {
    let height = TOP + PANEL * 2.0 + GAP + 40.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{} — {} bots over {}, {} s</text>"#,
        escape(&report.scenario),
        report.clients,
        escape(&report.transport),
        report.duration_s
    );
    panel(
        &mut svg,
        &report.timeline,
        TOP,
        "ACK latency (ms)",
        &[
            Series {
                label: "p50",
                colour: "#1f77b4",
                value: |p| p.ack_p50_ms,
            },
            Series {
                label: "p99",
                colour: "#d62728",
                value: |p| p.ack_p99_ms,
            },
        ],
    );
    panel(
        &mut svg,
        &report.timeline,
        TOP + PANEL + GAP,
        "traffic, all bots (KB/s)",
        &[
            Series {
                label: "host → bots",
                colour: "#2ca02c",
                value: |p| p.down_bps as f64 / 1000.0,
            },
            Series {
                label: "bots → host",
                colour: "#ff7f0e",
                value: |p| p.up_bps as f64 / 1000.0,
            },
        ],
    );
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle">seconds since start</text>"#,
        LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
        height - 8.0
    );
    svg.push_str("</svg>\n");
    svg
}

fn panel(svg: &mut String, points: &[TimelinePoint], top: f64, title: &str, series: &[Series<'_>]) {
    let plot_width = WIDTH - LEFT - RIGHT;
    let max_y = series
        .iter()
        .flat_map(|s| points.iter().map(s.value))
        .fold(0.0_f64, f64::max)
        .max(1.0)
        * 1.1;
    let max_x = (points.len().max(2) - 1) as f64;
    let x = |t: f64| LEFT + t / max_x * plot_width;
    let y = |v: f64| top + PANEL - v / max_y * PANEL;
    let _ = writeln!(
        svg,
        r#"<text x="{LEFT}" y="{}" font-weight="bold">{}</text>"#,
        top - 6.0,
        escape(title)
    );
    let _ = writeln!(
        svg,
        r##"<rect x="{LEFT}" y="{top}" width="{plot_width}" height="{PANEL}" fill="none" stroke="#999"/>"##
    );
    for tick in 0..=4 {
        let value = max_y * f64::from(tick) / 4.0;
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{y0:.1}" y2="{y0:.1}" stroke="#eee"/><text x="{}" y="{:.1}" text-anchor="end">{value:.1}</text>"##,
            LEFT + plot_width,
            LEFT - 6.0,
            y(value) + 4.0,
            y0 = y(value),
        );
    }
    for tick in 0..=5 {
        let t = max_x * f64::from(tick) / 5.0;
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{t:.0}</text>"#,
            x(t),
            top + PANEL + 16.0
        );
    }
    for (index, s) in series.iter().enumerate() {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(t, p)| format!("{:.1},{:.1}", x(t as f64), y((s.value)(p))))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>"#,
            s.colour,
            path.join(" ")
        );
        let legend_x = LEFT + plot_width - 110.0 * (series.len() - index) as f64;
        let _ = writeln!(
            svg,
            r#"<rect x="{legend_x:.1}" y="{}" width="10" height="10" fill="{}"/><text x="{:.1}" y="{}">{}</text>"#,
            top + 8.0,
            s.colour,
            legend_x + 14.0,
            top + 17.0,
            escape(s.label)
        );
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
