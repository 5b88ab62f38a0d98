// SqliteStore: group commit. The writes a caller must see durable
// before it answers (an issued certificate, a counted pairing attempt) share
// a transaction, and so its fsync, with the writes queued at the same moment.
// Under a burst of pairings that cut the fsyncs per pairing from 1.3 to 0.5
// (docs/benchmarks.md).
#include <exception>

#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"

namespace homeca::ca {

struct SqliteStore::PendingWrite {
  const GroupedWrite* write;
  std::optional<Status> result;
};

Status SqliteStore::GroupWrite(const GroupedWrite& write) {
  PendingWrite mine{&write, std::nullopt};
  std::unique_lock<std::mutex> queue_lock(queue_mu_);
  queue_.push_back(&mine);
  // Leader/follower: whoever finds no commit in progress takes everything
  // queued so far and commits it; the rest wait for their result.
  while (!mine.result.has_value()) {
    if (committing_) {
      queue_cv_.wait(queue_lock);
      continue;
    }
    committing_ = true;
    std::vector<PendingWrite*> batch;
    batch.swap(queue_);
    queue_lock.unlock();
    std::vector<const GroupedWrite*> writes;
    writes.reserve(batch.size());
    for (PendingWrite* p : batch) writes.push_back(p->write);
    std::vector<Status> results;
    try {
      std::lock_guard<std::mutex> lock(mu_);
      results = RunGroupLocked(writes);
    } catch (const std::exception& e) {
      // Allocation failure: the transaction rolled back on the way out, and
      // the followers must not wait for a leader that is gone.
      results.assign(batch.size(), Status::Internal("the store failed to commit", e.what()));
    }
    queue_lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
    committing_ = false;
    queue_cv_.notify_all();
  }
  return std::move(*mine.result);
}

std::vector<Status> SqliteStore::RunGroupLocked(const std::vector<const GroupedWrite*>& writes) {
  std::vector<Status> results;
  results.reserve(writes.size());
  SqliteTransaction txn(*db_);
  const Status begun = txn.Begin();
  Status poisoned;  // a failed write could not be undone alone
  for (const GroupedWrite* write : writes) {
    if (!begun.ok()) {
      results.push_back(begun);
    } else if (!poisoned.ok()) {
      results.push_back(poisoned);
    } else {
      results.push_back(RunInSavepointLocked(*write, &poisoned));
    }
  }
  // Without a clean undo the transaction holds part of a failed write: none
  // of it commits (the transaction rolls back when txn goes out of scope).
  const Status committed = !begun.ok() ? begun : !poisoned.ok() ? poisoned : txn.Commit();
  if (!committed.ok()) {
    for (Status& r : results) {
      if (r.ok()) r = committed;
    }
  }
  return results;
}

Status SqliteStore::RunInSavepointLocked(const GroupedWrite& write, Status* poisoned) {
  HOMECA_RETURN_IF_ERROR(db_->Exec("SAVEPOINT grouped_write"));
  Status status = Status::Ok();
  try {
    status = write();
  } catch (const std::exception& e) {
    status = Status::Internal("a store write failed", e.what());
  }
  if (!status.ok()) {
    const Status undone = db_->Exec("ROLLBACK TO grouped_write");
    if (!undone.ok()) {
      *poisoned = undone.WithContext("cannot undo a failed store write");
      return status;
    }
  }
  const Status released = db_->Exec("RELEASE grouped_write");
  return status.ok() ? released : status;
}

}  // namespace homeca::ca
