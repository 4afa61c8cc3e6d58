//! A counting global allocator for the benches that say what holds memory: the system
//! allocator, counting bytes allocated in total ([`allocated`]) and held now ([`held`])
//! while counting is on ([`count`]; off, it costs one relaxed load per call).
//! Include it with `#[path = "support/counting.rs"] mod counting;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static HELD: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
            HELD.fetch_add(layout.size(), Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
            HELD.fetch_add(new_size, Ordering::Relaxed);
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Turns counting on or off; turn it on first thing in `main`, before anything that is
/// kept is allocated, so that what is freed was counted.
pub fn count(on: bool) {
    COUNTING.store(on, Ordering::Relaxed);
}

/// Bytes allocated since counting began.
pub fn allocated() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}

/// Bytes allocated and not freed.
pub fn held() -> usize {
    HELD.load(Ordering::Relaxed)
}

/// Bytes allocated while `copy` runs: what a deep copy of something costs.
pub fn allocated_by<T>(copy: impl FnOnce() -> T) -> usize {
    let before = allocated();
    let copied = copy();
    let bytes = allocated() - before;
    drop(copied);
    bytes
}
