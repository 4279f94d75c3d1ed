//! racksync_transport
