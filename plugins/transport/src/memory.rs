//! An in-process datagram network that joins one host App and any number of client Apps.
//!
//! The network never reads the wall clock: every endpoint passes the instant of its own
//! App's `Time<Real>`. When all Apps are driven with
//! `TimeUpdateStrategy::ManualInstant` from one shared base instant they agree on time,
//! and with the same seed a whole session replays identically.

pub mod client;
pub mod server;
pub mod systems;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use renet::ClientId;
use thiserror::Error;

use crate::conditioner::LinkConditioner;
use crate::link::{LinkConditions, LinkConditionsError};
use crate::stats::DuplexStats;

pub use client::{MemoryClientTransport, MemoryClientTransportPlugin};
pub use server::{MemoryServerTransport, MemoryServerTransportPlugin};
pub use systems::MemoryTransportSystems;

/// Why a [`MemoryNetwork`] operation was refused.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum MemoryError {
    /// A link for this client id is still open, or still closing.
    #[error("client id {0} already has a link on this memory network")]
    ClientIdInUse(ClientId),
    /// No link exists for this client id.
    #[error("client id {0} has no link on this memory network")]
    UnknownClient(ClientId),
    /// Another host transport is attached to this network.
    #[error("a host is already attached to this memory network")]
    HostAttached,
    /// The requested link conditions cannot be simulated.
    #[error(transparent)]
    Conditions(#[from] LinkConditionsError),
}

/// A shared in-memory datagram network. Cloning gives another handle to the same network.
#[derive(Clone, Debug)]
pub struct MemoryNetwork {
    inner: Arc<Mutex<Network>>,
}

/// The two directions of a link, used to derive independent random streams.
#[derive(Clone, Copy, Debug)]
enum Direction {
    ToHost,
    ToClient,
}

/// The shared state behind a [`MemoryNetwork`].
#[derive(Debug)]
struct Network {
    seed: u64,
    /// A BTreeMap so the host sees clients in id order, independent of hashing.
    links: BTreeMap<ClientId, Link>,
    /// Tokens tell a stale handle (a dropped transport whose id was reused) apart from
    /// the current owner of an id or of the host role.
    next_token: u64,
    host: Option<u64>,
}

/// One client's link.
#[derive(Debug)]
struct Link {
    token: u64,
    to_host: LinkConditioner,
    to_client: LinkConditioner,
    /// The host has added the connection to its `RenetServer`.
    accepted: bool,
    /// The client end is closed (the client disconnected, its transport was dropped,
    /// or the link was severed).
    client_closed: bool,
    /// The host end is closed (the host disconnected the client, the host transport
    /// was dropped, or the link was severed); the client disconnects when it sees it.
    host_closed: bool,
    /// The host no longer holds a connection for this link.
    released: bool,
    /// While cut, every datagram in both directions is dropped.
    cut: bool,
}

/// What the host learns from one poll of the network.
#[derive(Debug, Default)]
pub(crate) struct HostPoll {
    /// Newly connected clients, to add to the server.
    pub accepted: Vec<ClientId>,
    /// Clients whose link closed on the client side, to remove from the server.
    pub closed: Vec<ClientId>,
    /// Datagrams that arrived, per client in id order, each in delivery order.
    pub datagrams: Vec<(ClientId, Vec<u8>)>,
}

/// What a client learns from one poll of its link.
#[derive(Debug, Default)]
pub(crate) struct ClientPoll {
    /// The host accepted the link and it is still open at both ends.
    pub connected: bool,
    /// The link is closed or gone; the client must disconnect.
    pub closed: bool,
    /// Datagrams that arrived, in delivery order.
    pub datagrams: Vec<Vec<u8>>,
}

impl MemoryNetwork {
    /// An empty network whose link randomness derives from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Network {
                seed,
                links: BTreeMap::new(),
                next_token: 0,
                host: None,
            })),
        }
    }

    /// Attaches the host end. Only one host may be attached at a time; dropping the
    /// returned transport detaches it and closes every accepted link.
    pub fn host(&self) -> Result<MemoryServerTransport, MemoryError> {
        let mut network = self.lock();
        if network.host.is_some() {
            return Err(MemoryError::HostAttached);
        }
        let token = network.take_token();
        network.host = Some(token);
        Ok(MemoryServerTransport::new(self.clone(), token))
    }

    /// Opens a link for `client_id`, with `to_host` applied to client → host datagrams and
    /// `to_client` to host → client datagrams. The host accepts it on its next update.
    pub fn connect(
        &self,
        client_id: ClientId,
        to_host: LinkConditions,
        to_client: LinkConditions,
    ) -> Result<MemoryClientTransport, MemoryError> {
        let mut network = self.lock();
        if network.links.contains_key(&client_id) {
            return Err(MemoryError::ClientIdInUse(client_id));
        }
        let link = Link {
            token: network.take_token(),
            to_host: LinkConditioner::new(
                to_host,
                network.direction_seed(client_id, Direction::ToHost),
            )?,
            to_client: LinkConditioner::new(
                to_client,
                network.direction_seed(client_id, Direction::ToClient),
            )?,
            accepted: false,
            client_closed: false,
            host_closed: false,
            released: false,
            cut: false,
        };
        let token = link.token;
        network.links.insert(client_id, link);
        Ok(MemoryClientTransport::new(self.clone(), client_id, token))
    }

    /// Changes the conditions of both directions of a link from now on.
    pub fn set_conditions(
        &self,
        client_id: ClientId,
        to_host: LinkConditions,
        to_client: LinkConditions,
    ) -> Result<(), MemoryError> {
        // Validate both first so a refusal leaves the link untouched.
        to_host.validate()?;
        to_client.validate()?;
        let mut network = self.lock();
        let link = network.link_mut(client_id)?;
        link.to_host.set_conditions(to_host)?;
        link.to_client.set_conditions(to_client)?;
        Ok(())
    }

    /// Cuts (`true`) or restores (`false`) a link. While cut, datagrams in flight and
    /// datagrams sent in either direction are dropped; the connection itself stays up,
    /// as with a pulled cable that renet has not noticed yet.
    pub fn cut(&self, client_id: ClientId, cut: bool) -> Result<(), MemoryError> {
        let mut network = self.lock();
        let link = network.link_mut(client_id)?;
        if cut && !link.cut {
            link.to_host.discard_in_flight();
            link.to_client.discard_in_flight();
        }
        link.cut = cut;
        Ok(())
    }

    /// Closes a link at both ends as a transport failure would: the host removes the
    /// connection and the client disconnects on their next updates.
    pub fn sever(&self, client_id: ClientId) -> Result<(), MemoryError> {
        let mut network = self.lock();
        let link = network.link_mut(client_id)?;
        link.client_closed = true;
        link.host_closed = true;
        link.to_host.discard_in_flight();
        link.to_client.discard_in_flight();
        network.remove_if_finished(client_id);
        Ok(())
    }

    /// The statistics of both directions of a link, while it exists.
    pub fn stats(&self, client_id: ClientId) -> Result<DuplexStats, MemoryError> {
        let network = self.lock();
        let link = network.link(client_id)?;
        Ok(DuplexStats {
            to_host: link.to_host.stats(),
            to_client: link.to_client.stats(),
        })
    }

    /// The conditions of both directions of a link, as (to host, to client).
    pub fn conditions(
        &self,
        client_id: ClientId,
    ) -> Result<(LinkConditions, LinkConditions), MemoryError> {
        let network = self.lock();
        let link = network.link(client_id)?;
        Ok((
            link.to_host.conditions().clone(),
            link.to_client.conditions().clone(),
        ))
    }

    /// The ids of every link that still exists (open or closing), in ascending order.
    pub fn client_ids(&self) -> Vec<ClientId> {
        self.lock().links.keys().copied().collect()
    }

    /// Accepts new links, reports links closed by clients and delivers the datagrams
    /// due for the host at `now`.
    pub(crate) fn host_poll(&self, host: u64, now: Instant) -> HostPoll {
        let mut network = self.lock();
        let mut poll = HostPoll::default();
        if network.host != Some(host) {
            return poll;
        }
        for (&client_id, link) in network.links.iter_mut() {
            if !link.accepted && !link.client_closed && !link.host_closed {
                link.accepted = true;
                poll.accepted.push(client_id);
            }
            if !link.accepted || link.released {
                continue;
            }
            if link.client_closed {
                link.released = true;
                link.host_closed = true;
                poll.closed.push(client_id);
                continue;
            }
            for datagram in link.to_host.deliver_due(now) {
                poll.datagrams.push((client_id, datagram));
            }
        }
        for client_id in &poll.closed {
            network.remove_if_finished(*client_id);
        }
        poll
    }

    /// Sends a datagram from the host to a client at `now`. Datagrams for links the host
    /// does not hold are ignored, as a socket would ignore a send to a gone peer.
    pub(crate) fn host_send(
        &self,
        host: u64,
        client_id: ClientId,
        now: Instant,
        datagram: Vec<u8>,
    ) {
        let mut network = self.lock();
        if network.host != Some(host) {
            return;
        }
        let Some(link) = network.links.get_mut(&client_id) else {
            return;
        };
        if !link.accepted || link.released {
            return;
        }
        if link.cut || link.client_closed {
            link.to_client.discard(&datagram);
        } else {
            link.to_client.send(now, datagram);
        }
    }

    /// The host closes a link (it disconnected the client); the client sees it closed.
    pub(crate) fn host_close(&self, host: u64, client_id: ClientId) {
        let mut network = self.lock();
        if network.host != Some(host) {
            return;
        }
        if let Some(link) = network.links.get_mut(&client_id) {
            link.host_closed = true;
            link.released = true;
            link.to_host.discard_in_flight();
            network.remove_if_finished(client_id);
        }
    }

    /// Detaches the host: every link it accepted is closed at the host end, and links
    /// not yet accepted wait for the next host.
    pub(crate) fn host_detach(&self, host: u64) {
        let mut network = self.lock();
        if network.host != Some(host) {
            return;
        }
        network.host = None;
        let accepted: Vec<ClientId> = network
            .links
            .iter()
            .filter(|(_, link)| link.accepted)
            .map(|(&client_id, _)| client_id)
            .collect();
        for client_id in accepted {
            if let Some(link) = network.links.get_mut(&client_id) {
                link.host_closed = true;
                link.released = true;
                link.to_host.discard_in_flight();
            }
            network.remove_if_finished(client_id);
        }
    }

    /// The state of a client's link and the datagrams due for it at `now`.
    pub(crate) fn client_poll(&self, client_id: ClientId, token: u64, now: Instant) -> ClientPoll {
        let mut network = self.lock();
        let Some(link) = network
            .links
            .get_mut(&client_id)
            .filter(|link| link.token == token)
        else {
            // The link is gone: the host removed it after a sever, or it was replaced.
            return ClientPoll {
                closed: true,
                ..ClientPoll::default()
            };
        };
        if link.client_closed || link.host_closed {
            return ClientPoll {
                closed: true,
                ..ClientPoll::default()
            };
        }
        ClientPoll {
            connected: link.accepted,
            closed: false,
            datagrams: link.to_client.deliver_due(now),
        }
    }

    /// Sends a datagram from a client to the host at `now`.
    pub(crate) fn client_send(
        &self,
        client_id: ClientId,
        token: u64,
        now: Instant,
        datagram: Vec<u8>,
    ) {
        let mut network = self.lock();
        let Some(link) = network
            .links
            .get_mut(&client_id)
            .filter(|link| link.token == token)
        else {
            return;
        };
        if link.cut || link.client_closed || link.host_closed {
            link.to_host.discard(&datagram);
        } else {
            link.to_host.send(now, datagram);
        }
    }

    /// The client closes its end; the host removes the connection on its next poll.
    pub(crate) fn client_close(&self, client_id: ClientId, token: u64) {
        let mut network = self.lock();
        let Some(link) = network
            .links
            .get_mut(&client_id)
            .filter(|link| link.token == token)
        else {
            return;
        };
        if !link.client_closed {
            link.client_closed = true;
            link.to_client.discard_in_flight();
        }
        network.remove_if_finished(client_id);
    }

    fn lock(&self) -> MutexGuard<'_, Network> {
        // No code panics while holding this lock, and the state is plain queues and
        // flags that are valid between any two statements, so a poisoned lock (a panic in
        // another App's thread) is no reason to take this App down too.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Network {
    fn take_token(&mut self) -> u64 {
        let token = self.next_token;
        self.next_token += 1;
        token
    }

    /// One seed per (network seed, client id, direction), so a link's random stream
    /// does not depend on which other links exist or in what order they are used.
    fn direction_seed(&self, client_id: ClientId, direction: Direction) -> u64 {
        let direction = match direction {
            Direction::ToHost => 1,
            Direction::ToClient => 2,
        };
        let mixed = splitmix64(self.seed ^ splitmix64(client_id));
        splitmix64(mixed ^ splitmix64(direction))
    }

    fn link(&self, client_id: ClientId) -> Result<&Link, MemoryError> {
        self.links
            .get(&client_id)
            .ok_or(MemoryError::UnknownClient(client_id))
    }

    fn link_mut(&mut self, client_id: ClientId) -> Result<&mut Link, MemoryError> {
        self.links
            .get_mut(&client_id)
            .ok_or(MemoryError::UnknownClient(client_id))
    }

    /// Forgets a link once neither end needs it: the client end is closed and the host
    /// either never held it or has released it. The id can then be connected again.
    fn remove_if_finished(&mut self, client_id: ClientId) {
        let finished = self
            .links
            .get(&client_id)
            .is_some_and(|link| link.client_closed && (!link.accepted || link.released));
        if finished {
            self.links.remove(&client_id);
        }
    }
}

/// The splitmix64 finaliser: spreads nearby inputs (client ids 1, 2, 3…) over the
/// whole seed space.
fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The instant an endpoint passes to the network: its App's last `Time<Real>` update,
/// or the clock's startup before the first update.
pub(crate) fn endpoint_now(time: &bevy_time::Time<bevy_time::Real>) -> Instant {
    time.last_update().unwrap_or_else(|| time.startup())
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;

    fn perfect() -> LinkConditions {
        LinkConditions::perfect()
    }

    #[test]
    fn ids_are_exclusive_until_both_ends_let_go() {
        let network = MemoryNetwork::new(0);
        let host = network.host().unwrap();
        let first = network.connect(5, perfect(), perfect()).unwrap();
        assert_eq!(
            network.connect(5, perfect(), perfect()).unwrap_err(),
            MemoryError::ClientIdInUse(5)
        );
        let now = Instant::now();
        assert_eq!(network.host_poll(host.token, now).accepted, vec![5]);
        drop(first);
        // The host still holds the connection until it polls.
        assert_eq!(network.client_ids(), vec![5]);
        assert_eq!(network.host_poll(host.token, now).closed, vec![5]);
        assert!(network.client_ids().is_empty());
        let second = network.connect(5, perfect(), perfect()).unwrap();
        assert_eq!(second.client_id(), 5);
    }

    #[test]
    fn stale_handle_cannot_close_a_newer_link() {
        let network = MemoryNetwork::new(0);
        let old = network.connect(5, perfect(), perfect()).unwrap();
        // Never accepted, so closing frees the id at once.
        network.client_close(5, old.token);
        let new = network.connect(5, perfect(), perfect()).unwrap();
        drop(old);
        assert_eq!(network.client_ids(), vec![5]);
        assert!(!network.client_poll(5, new.token, Instant::now()).closed);
    }

    #[test]
    fn one_host_at_a_time() {
        let network = MemoryNetwork::new(0);
        let host = network.host().unwrap();
        assert_eq!(network.host().unwrap_err(), MemoryError::HostAttached);
        drop(host);
        assert!(network.host().is_ok());
    }

    #[test]
    fn dropping_the_host_closes_accepted_links() {
        let network = MemoryNetwork::new(0);
        let host = network.host().unwrap();
        let client = network.connect(1, perfect(), perfect()).unwrap();
        let now = Instant::now();
        network.host_poll(host.token, now);
        assert!(network.client_poll(1, client.token, now).connected);
        drop(host);
        assert!(network.client_poll(1, client.token, now).closed);
        drop(client);
        assert!(network.client_ids().is_empty());
    }

    #[test]
    fn bad_conditions_are_refused_and_leave_the_link_alone() {
        let network = MemoryNetwork::new(0);
        let bad = LinkConditions::lossy(Duration::ZERO, Duration::ZERO, -1.0);
        assert!(matches!(
            network.connect(1, bad.clone(), perfect()),
            Err(MemoryError::Conditions(_))
        ));
        let _client = network.connect(1, perfect(), perfect()).unwrap();
        assert!(network.set_conditions(1, perfect(), bad).is_err());
        assert_eq!(network.conditions(1).unwrap(), (perfect(), perfect()));
        assert_eq!(
            network.set_conditions(2, perfect(), perfect()).unwrap_err(),
            MemoryError::UnknownClient(2)
        );
    }

    /// Sends 200 datagrams each way on link 7 and returns what arrived, optionally with
    /// busy neighbouring links used before it.
    fn link_seven(with_neighbours: bool) -> (Vec<Vec<u8>>, Vec<Vec<u8>>, DuplexStats) {
        let conditions = LinkConditions {
            latency: Duration::from_millis(5),
            jitter: Duration::from_millis(5),
            loss: 0.3,
            duplicate: 0.2,
            reorder: 0.2,
        };
        let network = MemoryNetwork::new(99);
        let host = network.host().unwrap();
        let mut others = Vec::new();
        if with_neighbours {
            for id in [3, 11] {
                others.push(
                    network
                        .connect(id, conditions.clone(), conditions.clone())
                        .unwrap(),
                );
            }
        }
        let client = network
            .connect(7, conditions.clone(), conditions.clone())
            .unwrap();
        let base = Instant::now();
        network.host_poll(host.token, base);
        let (mut at_host, mut at_client) = (Vec::new(), Vec::new());
        for step in 0u32..400 {
            let now = base + Duration::from_millis(u64::from(step));
            for other in &others {
                network.client_send(other.client_id, other.token, now, vec![0; 9]);
                network.host_send(host.token, other.client_id, now, vec![0; 9]);
            }
            if step < 200 {
                let bytes = step.to_le_bytes().to_vec();
                network.client_send(7, client.token, now, bytes.clone());
                network.host_send(host.token, 7, now, bytes);
            }
            let poll = network.host_poll(host.token, now);
            at_host.extend(
                poll.datagrams
                    .into_iter()
                    .filter(|(id, _)| *id == 7)
                    .map(|(_, datagram)| datagram),
            );
            at_client.extend(network.client_poll(7, client.token, now).datagrams);
        }
        (at_host, at_client, network.stats(7).unwrap())
    }

    #[test]
    fn a_link_does_not_depend_on_its_neighbours() {
        let alone = link_seven(false);
        assert_eq!(alone, link_seven(true));
        // The two directions draw from different streams.
        assert_ne!(alone.0, alone.1);
        assert!(alone.2.to_host.dropped > 0 && alone.2.to_host.duplicated > 0);
    }

    #[test]
    fn cut_drops_in_flight_and_new_datagrams() {
        let network = MemoryNetwork::new(0);
        let host = network.host().unwrap();
        let delayed = LinkConditions::lossy(Duration::from_millis(10), Duration::ZERO, 0.0);
        let client = network.connect(1, delayed.clone(), delayed).unwrap();
        let now = Instant::now();
        network.host_poll(host.token, now);
        network.client_send(1, client.token, now, vec![1]);
        network.cut(1, true).unwrap();
        network.client_send(1, client.token, now, vec![2]);
        network.cut(1, false).unwrap();
        network.client_send(1, client.token, now, vec![3]);
        let later = now + Duration::from_millis(20);
        let poll = network.host_poll(host.token, later);
        assert_eq!(poll.datagrams, vec![(1, vec![3])]);
        let stats = network.stats(1).unwrap().to_host;
        assert_eq!((stats.datagrams_sent, stats.dropped), (3, 2));
    }
}
