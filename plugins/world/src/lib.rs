//! racksync_world
