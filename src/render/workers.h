// Work spread over forked worker processes. eSpeak NG keeps global state and has no context
// handle, so parallel synthesis needs processes, not threads. Only one thread of one process
// ever calls it: `troupe render` may initialise it in the parent (in a thread joined before any
// fork) so that the workers inherit it ready; a worker that speaks starts it otherwise.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace troupe {

// Called in a worker: does task number `task`, telling progress(n) of n more units done, and
// returns its result. An exception is reported to the parent as the task's failure.
using WorkerTask =
    std::function<std::string(std::size_t task, const std::function<void(std::size_t)>& progress)>;

struct WorkerEvents {
  // The result is the event's to keep (move from): a long chapter's is half a megabyte.
  std::function<void(std::size_t task, std::string& result)> done;
  std::function<void(std::size_t task, const std::string& message)> failed;
  std::function<void(std::size_t units)> progress;
};

// Which task a free worker takes next, asked in the parent: a task number, or one of these.
// Tasks that wait for others (a chapter joined from its parts) become ready in the events.
inline constexpr long kNoTaskReady = -1;  // none now; one may be ready when a task finishes
inline constexpr long kNoTaskLeft = -2;   // none now nor later
using NextTask = std::function<long()>;

// Runs the tasks `next` hands out on up to `jobs` worker processes (at least one), each taking
// the next task when it finishes one (and giving the heap it freed back to the system after
// sending each result). Events arrive in the parent, on this thread. A worker
// that dies fails its task, and a new worker takes its place. Returns when no task is left and
// every task handed out is done or failed; once interrupted, the tasks left are failed.
void run_in_workers(int jobs, const NextTask& next, const WorkerTask& task,
                    const WorkerEvents& events);

// Tasks 0..count-1, in that order.
void run_in_workers(std::size_t count, int jobs, const WorkerTask& task,
                    const WorkerEvents& events);

// The number of processors this process may use (at least 1).
int available_cores();

}  // namespace troupe
