//! Host: reading raw messages from the `raw` channel of every player.

use super::host_relay::RawInbox;
use crate::host::{Admission, Sessions, charge, close};
use bevy_ecs::prelude::*;
use bevy_renet::RenetServer;
use racksync_protocol::raw::check_raw;
use racksync_protocol::{Channel, ClientRaw, Refusal, SendType, decode};
use renet::ClientId;

/// Drains every connection's `raw` channel within its budget into the [`RawInbox`].
/// Raw messages from connections without a player are dropped; a malformed one is a
/// protocol violation. Runs in [`crate::RacksyncSystems::Receive`] on the host.
pub fn receive_raw_from_clients(world: &mut World) {
    let clients: Vec<(ClientId, Option<racksync_protocol::PlayerId>)> = world
        .resource::<Sessions>()
        .iter()
        .map(|(id, s)| (id, s.player.filter(|_| s.subscribed())))
        .collect();
    world.resource_scope::<RenetServer, _>(|world, mut server| {
        for (client, player) in clients {
            while let Some(bytes) = server.receive_message(client, Channel::Raw) {
                match charge(world, client, Channel::Raw, bytes.len()) {
                    Admission::Admit => {}
                    Admission::Refuse => continue,
                    Admission::Kick(over) => {
                        close(
                            world,
                            &mut server,
                            client,
                            Refusal::Kicked(over.to_string()),
                        );
                        break;
                    }
                }
                let Some(player) = player else { continue };
                let raw = match decode::<ClientRaw>(Channel::Raw, &bytes) {
                    Ok(raw) => raw,
                    Err(error) => {
                        let reason = Refusal::ProtocolViolation(format!("raw message: {error}"));
                        close(world, &mut server, client, reason);
                        break;
                    }
                };
                let send_type = if raw.sequence.is_some() {
                    SendType::UnreliableSequenced
                } else {
                    SendType::Unreliable
                };
                if let Err(error) = check_raw(send_type, &raw.target, raw.bytes.len()) {
                    let reason = Refusal::ProtocolViolation(format!("raw message: {error}"));
                    close(world, &mut server, client, reason);
                    break;
                }
                world
                    .resource_mut::<RawInbox>()
                    .0
                    .push((client, player, send_type, raw));
            }
        }
    });
}
