//! racksync
