//! Durable hosts in the test harness: start from a save and journal, crash, recover.

use super::Harness;
use crate::durability::{
    Base, DurabilityError, DurabilitySettings, DurabilityStats, DurableWorld, Recovery, attach,
    open_base,
};
use racksync_world::WorldSave;

impl Harness {
    /// A host over the in-memory transport whose world is durable under `settings`: it
    /// starts from the save (or `initial` when there is none), replays the journal, and
    /// journals and saves from then on. Dropping the harness without stepping further
    /// is a crash (`kill -9`): nothing more is written.
    pub fn durable_memory(
        settings: &DurabilitySettings,
        initial: WorldSave,
        seed: u64,
    ) -> Result<(Self, Recovery), DurabilityError> {
        let Base { save, existed } = open_base(settings, || Ok(initial))?;
        let mut harness = Self::memory(save, seed);
        let recovery = attach(harness.host.world_mut(), settings, existed)?;
        Ok((harness, recovery))
    }

    /// The host's durability counters.
    pub fn durability_stats(&self) -> DurabilityStats {
        *self.host.world().resource::<DurabilityStats>()
    }

    /// Why the host stopped journaling, if it did.
    pub fn journal_failure(&self) -> Option<String> {
        self.host
            .world()
            .resource::<DurableWorld>()
            .failure()
            .map(str::to_owned)
    }

    /// From now on the host's journal writes go to `/dev/full`, which fails every write
    /// with "no space left on device": a real I/O error on the journaling path.
    #[cfg(target_os = "linux")]
    pub fn fill_journal_disk(&mut self) {
        let full = std::fs::OpenOptions::new()
            .append(true)
            .open("/dev/full")
            .expect("/dev/full exists on Linux");
        self.host
            .world_mut()
            .resource_mut::<DurableWorld>()
            .redirect_journal(full);
    }
}
