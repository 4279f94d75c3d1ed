//! racksync's world model: the networked components of data-center objects, the world
//! rules shared by host and client, RON saves, the world generator and canonical hashing.
//!
//! World objects are ECS entities. All writes go through [`WorldObjects`] so the
//! components, the [`WorldIndex`], cached hashes, the [`WorldDigest`] and the
//! [`DigestTree`] stay in step.

pub mod components;
pub mod consistency;
pub mod digest;
pub mod generate;
pub mod index;
pub mod overlay;
pub mod queries;
pub mod rules;
pub mod save;
pub mod stats;
pub mod store;
pub mod tree;

pub use components::{CableLink, NetObject, ObjectHash, Placed, Player, Powered, Props, Wear};
pub use consistency::{ConsistencyError, Holding, check_consistency};
pub use digest::{WorldDigest, object_hash};
pub use generate::generate_world;
pub use index::WorldIndex;
pub use overlay::ConfirmedOverlay;
pub use save::{SAVE_FORMAT, SaveError, SavedObject, WorldSave};
pub use stats::WorldStats;
pub use store::{ReadObjects, Settings, WorldError, WorldObjects, WorldRevision};
pub use tree::{DigestTree, NodeSum};
