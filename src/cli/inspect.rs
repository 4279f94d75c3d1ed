//! `list` and `show`: the world's objects as text, the same on the host and a client
//! (a client prints its local world, pending actions included).

use super::command::ListFilter;
use super::describe::{ShowEnd, ShowPos, ShowSlot};
use bevy_ecs::prelude::*;
use racksync_protocol::{ObjectId, ObjectKind, ObjectRecord, Placement, PlayerId, RACK_UNITS};
use racksync_world::{ReadObjects, WorldIndex};

/// One line per object matching `filter`, ascending by id, then a count line.
/// `me` is whose hand `held` means; `None` (the host) means any hand.
pub fn list_lines(world: &World, filter: ListFilter, me: Option<PlayerId>) -> Vec<String> {
    let mut lines: Vec<String> = world
        .objects_sorted()
        .iter()
        .filter(|record| match filter {
            ListFilter::All => true,
            ListFilter::Kind(kind) => record.kind == kind,
            ListFilter::Held => match record.placement {
                Placement::Held(holder) => me.is_none_or(|me| me == holder),
                _ => false,
            },
        })
        .map(object_line)
        .collect();
    lines.push(format!("listed {} objects", lines.len()));
    lines
}

/// `#5 server1u rack #1 u4 on`: id, kind, where it is, power and breakage.
pub fn object_line(record: &ObjectRecord) -> String {
    let mut line = format!("{} {} {}", record.id, record.kind.name(), where_is(record));
    if record.kind.is_powered_device() {
        line.push_str(if record.powered { " on" } else { " off" });
        if record.health.broken {
            line.push_str(" broken");
        }
    }
    line
}

/// Where an object is; a connected cable is described by its ends.
fn where_is(record: &ObjectRecord) -> String {
    if let Some([a, b]) = record.cable {
        return format!("{} <-> {}", ShowEnd(a), ShowEnd(b));
    }
    match record.placement {
        Placement::Floor { pos, yaw } => format!("floor {}", ShowPos(pos, yaw)),
        Placement::InRack(slot) => {
            format!(
                "rack {}",
                ShowSlot(slot, record.kind.rack_units().unwrap_or(1))
            )
        }
        Placement::Held(player) => format!("held by {player}"),
        Placement::InPort { switch, port } => format!("port {switch}/{port}"),
    }
}

/// Prints everything about one object, or an error line if it does not exist.
pub fn say_show(world: &World, id: ObjectId) {
    match show_lines(world, id) {
        Some(lines) => lines.iter().for_each(super::console::say),
        None => super::console::say(format!("error: object {id} does not exist")),
    }
}

/// Everything about one object, or `None` if it does not exist.
pub fn show_lines(world: &World, id: ObjectId) -> Option<Vec<String>> {
    let record = world.object(id)?;
    let index = world.resource::<WorldIndex>();
    let mut lines = vec![object_line(&record)];
    if record.kind.is_powered_device() {
        let health = record.health;
        lines.push(format!(
            "  health: {}, breaks in {} s, end of life in {} s, warning {}",
            if health.broken { "broken" } else { "working" },
            health.time_to_break,
            health.eol_time,
            if health.warning_cleared {
                "cleared"
            } else {
                "not cleared"
            },
        ));
    }
    let props = &record.properties;
    if props != &Default::default() {
        let or_dash = |value: Option<String>| value.unwrap_or_else(|| "-".into());
        lines.push(format!(
            "  ip: {}  customer: {}  label: {}  app: {}",
            or_dash(props.ip.map(|ip| ip.to_string())),
            or_dash(props.customer.map(|c| c.to_string())),
            or_dash(props.label.as_ref().map(|l| format!("{l:?}"))),
            or_dash(props.app.map(|a| a.to_string())),
        ));
    }
    if record.kind == ObjectKind::Rack
        && let Some(units) = index.rack_units(id)
    {
        lines.push(format!("  units: {}", rack_units(world, units)));
    }
    let cables = sorted(index.cables_on(id));
    if !cables.is_empty() {
        lines.push(format!("  cables: {}", joined(&cables)));
    }
    let modules = sorted(index.modules_in(id));
    if !modules.is_empty() {
        lines.push(format!("  modules: {}", joined(&modules)));
    }
    Some(lines)
}

/// `u4 #5, u6-8 #11, free u1-3 u9` style occupancy of a rack.
fn rack_units(world: &World, units: &[Option<ObjectId>]) -> String {
    let mut used = Vec::new();
    let mut free = Vec::new();
    let mut unit = 0usize;
    while unit < units.len() {
        let start = unit;
        while unit + 1 < units.len() && units[unit + 1] == units[start] {
            unit += 1;
        }
        let range = if unit > start {
            format!("u{}-{}", start + 1, unit + 1)
        } else {
            format!("u{}", start + 1)
        };
        match units[start] {
            Some(id) => {
                let kind = world.object(id).map_or("?", |r| r.kind.name());
                used.push(format!("{range} {id} {kind}"));
            }
            None => free.push(range),
        }
        unit += 1;
    }
    let free = if free.is_empty() {
        "none".to_string()
    } else {
        free.join(" ")
    };
    format!("{}; free {free} (of {RACK_UNITS})", used.join(", "))
}

fn sorted(ids: &[ObjectId]) -> Vec<ObjectId> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids
}

fn joined(ids: &[ObjectId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}
