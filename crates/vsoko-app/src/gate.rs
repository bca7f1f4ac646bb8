//! The gate reports pass: at most `concurrency` score tables read and aggregated at once (the
//! others wait, holding little memory, so that cheap requests — a form, a submission — are not
//! starved by a crowd of aggregation threads), and at most `queue` waiting — a report asked
//! beyond that is shed at once ([`AppError::Overloaded`], 503 with `Retry-After`) instead of
//! queueing without bound. Submissions and forms never pass it.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{AppError, AppResult};

/// How long a shed request is asked to wait before trying again, in seconds.
pub const RETRY_AFTER_SECS: u64 = 60;

/// The default bound of waiting reports.
pub const DEFAULT_QUEUE: usize = 64;

/// See the module.
#[derive(Debug)]
pub struct ReportGate {
    slots: Semaphore,
    waiting: AtomicUsize,
    queue: usize,
    shed: AtomicUsize,
}

/// A waiting place, given back however the wait ends (a permit, or the request dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl ReportGate {
    /// `concurrency` reports at once (at least one), at most `queue` waiting.
    pub fn new(concurrency: usize, queue: usize) -> ReportGate {
        ReportGate {
            slots: Semaphore::new(concurrency.max(1)),
            waiting: AtomicUsize::new(0),
            queue,
            shed: AtomicUsize::new(0),
        }
    }

    /// A slot to compute in: at once when one is free; after waiting when fewer than `queue`
    /// others wait; otherwise [`AppError::Overloaded`].
    pub async fn enter(&self) -> AppResult<SemaphorePermit<'_>> {
        if let Ok(permit) = self.slots.try_acquire() {
            return Ok(permit);
        }
        let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _place = Waiting(&self.waiting);
        if ahead >= self.queue {
            self.shed.fetch_add(1, Ordering::Relaxed);
            return Err(AppError::Overloaded {
                retry_after_secs: RETRY_AFTER_SECS,
            });
        }
        self.slots
            .acquire()
            .await
            .map_err(|error| AppError::Unexpected(Box::new(error)))
    }

    /// Two reports per core at once, at most `queue` waiting.
    pub fn with_queue(queue: usize) -> ReportGate {
        ReportGate::new(
            2 * std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            queue,
        )
    }

    /// Reports waiting for a slot now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Reports shed since start.
    pub fn shed(&self) -> usize {
        self.shed.load(Ordering::Relaxed)
    }
}

impl Default for ReportGate {
    /// Two reports per core at once, [`DEFAULT_QUEUE`] waiting.
    fn default() -> ReportGate {
        ReportGate::with_queue(DEFAULT_QUEUE)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    async fn until(gate: &ReportGate, waiting: usize) {
        while gate.waiting() != waiting {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_report_beyond_the_queue_is_shed_and_the_waiting_ones_go_on() {
        let gate = Arc::new(ReportGate::new(1, 1));
        let first = gate.enter().await.expect("a free slot");
        // The second waits for the slot; the third finds the queue full.
        let second = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.enter().await.map(drop).is_ok() }
        });
        until(&gate, 1).await;
        assert!(matches!(
            gate.enter().await,
            Err(AppError::Overloaded {
                retry_after_secs: RETRY_AFTER_SECS
            })
        ));
        assert_eq!(gate.shed(), 1);
        assert_eq!(gate.waiting(), 1, "the shed one left no place behind");
        drop(first);
        assert!(second.await.unwrap(), "the waiting one got the slot");
        assert_eq!(gate.waiting(), 0);
        assert!(gate.enter().await.is_ok());
    }

    #[tokio::test]
    async fn a_request_given_up_while_waiting_frees_its_place() {
        let gate = Arc::new(ReportGate::new(1, 1));
        let held = gate.enter().await.unwrap();
        let waiter = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.enter().await.map(drop).is_ok() }
        });
        until(&gate, 1).await;
        waiter.abort();
        let _ = waiter.await;
        assert_eq!(gate.waiting(), 0);
        drop(held);
        // With no queue at all, a report waits for nobody: a busy slot sheds it.
        let strict = ReportGate::new(1, 0);
        let busy = strict.enter().await.unwrap();
        assert!(strict.enter().await.is_err());
        drop(busy);
        assert!(strict.enter().await.is_ok());
    }
}
