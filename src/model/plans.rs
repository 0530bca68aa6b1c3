//! Dispatch plans already solved, shared by the threads of an ensemble: the
//! [`PlanStore`] and each thread's [`PlanCache`] door to it (docs/model.md §5: a plan is a
//! pure function of the conditions, so the store changes speed, never a result).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::network::{Conditions, Network, Plan, PlanStart};

/// A fast, deterministic hasher for the plan cache's keys (words of conditions): FxHash's
/// multiply-rotate. Only lookups use it, never an iteration order, so no output depends on it.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the table's bucket index) depending only on the
        // low bits of the words, and the words of a key are mostly `f64` bits whose low
        // mantissa bits are zero: fold the high half down so every bit counts.
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

/// Builds [`FxHasher`]s.
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// Dispatch plans already solved, by network state, shared by every thread of an
/// ensemble through [`PlanCache`]s. A plan is a pure function of the conditions, so which
/// thread solved it, or whether it was solved twice, changes no result, only speed.
///
/// Two maps, as [`Network::plan`] is built: the plan without a fleet limit, keyed on
/// everything but the fleet (it serves whenever it fits the fleet), and the plan with the
/// limit, keyed on everything. The locks are held for a lookup or an insert, never for a
/// solve.
#[derive(Default)]
pub struct PlanStore {
    unlimited: Mutex<HashMap<Vec<u64>, Arc<Plan>, FxBuild>>,
    limited: Mutex<HashMap<Vec<u64>, Arc<Plan>, FxBuild>>,
    /// Keyed like `unlimited`: the routes and constraints every fleet-limited plan under
    /// those conditions starts from, whatever the fleet.
    starts: Mutex<HashMap<Vec<u64>, Arc<PlanStart>, FxBuild>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl PlanStore {
    /// Most plans kept per map; a map is emptied when it grows past this.
    const MAX_ENTRIES: usize = 1 << 14;

    /// An empty store, to be shared by the [`PlanCache`]s of one network's replications.
    pub fn new() -> Arc<PlanStore> {
        Arc::new(PlanStore::default())
    }

    /// Plans served from the store so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Plans solved so far.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    fn get<T>(
        &self,
        map: &Mutex<HashMap<Vec<u64>, Arc<T>, FxBuild>>,
        key: &[u64],
    ) -> Option<Arc<T>> {
        let found = lock(map).get(key).cloned();
        if found.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        } else {
            self.misses.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    fn put<T>(map: &Mutex<HashMap<Vec<u64>, Arc<T>, FxBuild>>, key: &[u64], plan: &Arc<T>) {
        let mut m = lock(map);
        if m.len() >= Self::MAX_ENTRIES {
            m.clear();
        }
        m.insert(key.to_vec(), Arc::clone(plan));
    }
}

/// A poisoned lock still holds valid plans (a panicking thread never leaves a map half
/// changed: inserts and clears are single calls).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One thread's door to a [`PlanStore`]: it builds the key of the conditions in a buffer
/// of its own (no allocation per lookup once warm) and solves on a miss.
pub struct PlanCache {
    store: Arc<PlanStore>,
    key: Vec<u64>,
}

impl Default for PlanCache {
    fn default() -> Self {
        PlanCache::new()
    }
}

impl PlanCache {
    /// A cache with a store of its own.
    pub fn new() -> PlanCache {
        PlanCache::sharing(&PlanStore::new())
    }

    /// A cache that reads and fills `store`, shared with other threads simulating the
    /// same network.
    pub fn sharing(store: &Arc<PlanStore>) -> PlanCache {
        PlanCache {
            store: Arc::clone(store),
            key: Vec::new(),
        }
    }

    /// The plan for conditions `c` (equal to `net.plan(c)`), solved on a miss.
    pub fn plan(&mut self, net: &Network, c: &Conditions) -> Arc<Plan> {
        self.key.clear();
        let mut bits = 0u64;
        for (i, open) in c.open.iter().enumerate() {
            bits |= u64::from(*open) << (i % 64);
            if i % 64 == 63 {
                self.key.push(bits);
                bits = 0;
            }
        }
        self.key.push(bits);
        self.key
            .extend(c.risk_multiplier.iter().map(|m| m.to_bits()));
        self.key
            .extend(c.supply_trucks_per_day.iter().map(|m| m.to_bits()));
        self.key.push(c.escort_units.to_bits());
        let store = &*self.store;
        let relaxed = match store.get(&store.unlimited, &self.key) {
            Some(p) => p,
            None => {
                let p = Arc::new(net.plan_fleet_unlimited(c));
                PlanStore::put(&store.unlimited, &self.key, &p);
                p
            }
        };
        if relaxed.fits_fleet(c) {
            return relaxed;
        }
        let conditions = self.key.len();
        self.key.extend(c.fleet_trucks.iter().map(|m| m.to_bits()));
        if let Some(p) = store.get(&store.limited, &self.key) {
            return p;
        }
        // Solved from the routes and constraints of these conditions, kept for any fleet.
        let start = &self.key[..conditions];
        let found = lock(&store.starts).get(start).cloned();
        let start = match found {
            Some(s) => s,
            None => {
                let s = Arc::new(net.plan_start(c));
                PlanStore::put(&store.starts, start, &s);
                s
            }
        };
        let plan = Arc::new(net.plan_fleet_limited_from(&start, c));
        PlanStore::put(&store.limited, &self.key, &plan);
        plan
    }
}
