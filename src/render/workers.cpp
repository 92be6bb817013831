#include "render/workers.h"

#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <thread>
#include <vector>

#include "common/errors.h"
#include "common/fd_io.h"
#include "render/interrupt.h"
#include "speech/engine.h"

namespace troupe {
namespace {

// Worker -> parent messages: one type byte, the task (u32), the payload's size (u32), payload.
enum Message : char { kProgress = 'P', kDone = 'D', kFailed = 'F' };

bool send(int fd, Message type, std::uint32_t task, const std::string& payload) {
  std::string message(1, static_cast<char>(type));
  const std::uint32_t size = static_cast<std::uint32_t>(payload.size());
  message.append(reinterpret_cast<const char*>(&task), 4);
  message.append(reinterpret_cast<const char*>(&size), 4);
  message += payload;
  return write_all(fd, message.data(), message.size());
}

struct Worker {
  pid_t pid = -1;
  int tasks_fd = -1;    // parent writes task numbers
  int results_fd = -1;  // parent reads messages
  long task = -1;       // the task it is doing, -1 when idle
};

// A part of a long chapter (a speech group) leaves some 6 MB of its worker's heap free, the
// buffers its utterances were levelled in: trimmed after every part, or by free() as the
// utterances come and go, those pages were faulted in again by the next (story 002 with
// --jobs 2: 10,400 page faults instead of 7,100, and about 100 ms more CPU). So the heap
// keeps what it freed while a task runs, and gives it back between tasks only when it is more
// than this (a whole chapter's).
constexpr std::size_t kTrimWhenFreeBytes = 8u << 20;

// Whether the parent closes the task pipe with no task left in it, waiting a little for its
// answer (it closes the pipe of a worker it has nothing more for as soon as it has read the
// worker's result): then the worker is leaving, and its exit gives its memory back at once.
bool leaving(int tasks_fd) {
  pollfd fd{tasks_fd, POLLIN, 0};
  int ready;
  while ((ready = ::poll(&fd, 1, 10)) < 0 && errno == EINTR) {
  }
  return ready == 1 && (fd.revents & POLLIN) == 0 && (fd.revents & POLLHUP) != 0;
}

[[noreturn]] void worker_main(int tasks_fd, int results_fd, const WorkerTask& run) {
  // Die with the parent rather than render for nobody.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::signal(SIGPIPE, SIG_IGN);
  // The heap keeps what it frees while a task runs: render set glibc's thresholds before the
  // workers were forked (keep_freed_memory_for_reuse, src/render/render.cpp). The speech server
  // and its group children inherit them too: harmless, they live briefly and their PSS counts.
  std::uint32_t task = 0;
  while (read_all(tasks_fd, &task, sizeof task)) {
    std::size_t pending = 0;
    auto last = std::chrono::steady_clock::now();
    auto progress = [&](std::size_t units) {
      pending += units;
      const auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(100)) return;
      last = now;
      send(results_fd, kProgress, task, std::to_string(pending));
      pending = 0;
    };
    bool sent = false;
    try {
      const std::string result = run(task, progress);
      if (pending > 0) send(results_fd, kProgress, task, std::to_string(pending));
      sent = send(results_fd, kDone, task, result);
    } catch (const std::exception& e) {
      sent = send(results_fd, kFailed, task, e.what());
    } catch (...) {
      sent = send(results_fd, kFailed, task, "unknown error");
    }
    if (!sent) break;
    // The worker's heap began as a copy of the parent's: pages it freed go back to the system
    // rather than stay its own copies until the run ends, once that is worth it. After the
    // result is sent, not before: the trim costs some 3 ms of CPU (and more wall time on a
    // busy machine), and a part's result lets the chapter's join go on, the join's lets the
    // book be finished. Not when the worker is leaving: trimming a heap just before the
    // process goes cost its last chapter some 40 madvise calls and a few ms of CPU.
    if (::mallinfo2().fordblks > kTrimWhenFreeBytes && !leaving(tasks_fd)) ::malloc_trim(0);
  }
  stop_speech_server();
  // _exit: no atexit handlers, no static destructors, no flushing of the parent's buffers.
  ::_exit(0);
}

std::string death_message(int status) {
  if (WIFSIGNALED(status))
    return std::string("the worker process died of signal ") + std::to_string(WTERMSIG(status)) +
           " (" + strsignal(WTERMSIG(status)) + ")";
  return "the worker process stopped unexpectedly (exit status " +
         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
}

}  // namespace

int available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

namespace {

// The worker processes of one run_in_workers call and the tasks going to them, in the parent.
class WorkerPool {
 public:
  WorkerPool(int jobs, const NextTask& next, const WorkerTask& task, const WorkerEvents& events)
      : most_(static_cast<std::size_t>(std::max(1, jobs))),
        next_(next),
        task_(task),
        events_(events) {}
  // When run() ends by an exception (a book's files could not be written), the workers are
  // neither left behind nor killed in the middle of a write: with both pipes closed, each
  // finishes its task (its files committed whole), fails to report, and leaves.
  ~WorkerPool() {
    for (Worker& w : workers_) {
      let_go(w);
      if (w.results_fd >= 0) ::close(w.results_fd);
      w.results_fd = -1;
      if (w.pid > 0) wait_for_exit(w.pid);
      w.pid = -1;
    }
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Hands tasks out and handles what the workers report until none is left and every worker
  // is gone; then fails the tasks never handed out.
  void run() {
    dispatch();
    while (wait_and_handle()) {
    }
    for (Worker& w : workers_) {
      if (w.pid > 0) wait_for_exit(w.pid);
      w.pid = -1;
    }
    // Tasks never handed out (interrupted, or every worker died and none could be started).
    for (long t = take(); t >= 0; t = take())
      fail(static_cast<std::size_t>(t),
           interrupted() ? "interrupted" : "no worker process was left to do it");
  }

 private:
  long take() {
    if (held_.empty()) return next_();
    const long t = held_.front();
    held_.pop_front();
    return t;
  }

  void fail(std::size_t t, const std::string& message) {
    if (events_.failed) events_.failed(t, message);
  }

  // Closing a worker's task pipe lets it finish.
  static void let_go(Worker& w) {
    if (w.tasks_fd >= 0) ::close(w.tasks_fd);
    w.tasks_fd = -1;
  }

  std::size_t alive() const {
    return static_cast<std::size_t>(std::count_if(
        workers_.begin(), workers_.end(), [](const Worker& w) { return w.results_fd >= 0; }));
  }

  static void wait_for_exit(pid_t pid, int* status = nullptr) {
    int ignored = 0;
    while (::waitpid(pid, status != nullptr ? status : &ignored, 0) < 0 && errno == EINTR) {
    }
  }

  // Forks a worker with a task pipe and a result pipe. Returns whether it started.
  bool spawn() {
    int tasks[2], results[2];
    if (::pipe(tasks) != 0) return false;
    if (::pipe(results) != 0) {
      ::close(tasks[0]);
      ::close(tasks[1]);
      return false;
    }
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
      for (int fd : {tasks[0], tasks[1], results[0], results[1]}) ::close(fd);
      return false;
    }
    if (pid == 0) {
      // The other workers' pipes are the parent's business: holding them would keep them open.
      for (const Worker& w : workers_) {
        if (w.tasks_fd >= 0) ::close(w.tasks_fd);
        if (w.results_fd >= 0) ::close(w.results_fd);
      }
      ::close(tasks[1]);
      ::close(results[0]);
      worker_main(tasks[0], results[1], task_);
    }
    ::close(tasks[0]);
    ::close(results[1]);
    workers_.push_back({pid, tasks[1], results[0], -1});
    return true;
  }

  // Hands ready tasks to idle workers, starting workers up to the most allowed; lets idle
  // workers go when no task is left.
  void dispatch() {
    while (!interrupted()) {
      auto idle = std::find_if(workers_.begin(), workers_.end(),
                               [](const Worker& w) { return w.task < 0 && w.tasks_fd >= 0; });
      if (idle == workers_.end() && alive() >= most_) return;
      const long t = take();
      if (t == kNoTaskLeft) break;
      if (t < 0) return;
      if (idle == workers_.end()) {
        if (!spawn()) {
          if (alive() == 0) {
            fail(static_cast<std::size_t>(t),
                 std::string("could not start a worker process: ") + std::strerror(errno));
            continue;
          }
          held_.push_front(t);  // for a worker that is running now
          return;
        }
        idle = workers_.end() - 1;
      }
      const auto n = static_cast<std::uint32_t>(t);
      // A worker that cannot take it has died: collecting it fails the task.
      if (!write_all(idle->tasks_fd, &n, sizeof n)) let_go(*idle);
      idle->task = t;
    }
    for (Worker& w : workers_)
      if (w.task < 0) let_go(w);
  }

  // Waits until some worker reports or goes, and handles that. Returns false once no worker
  // is left to wait for.
  bool wait_and_handle() {
    std::vector<pollfd> fds;
    std::vector<std::size_t> owners;
    for (std::size_t i = 0; i < workers_.size(); ++i)
      if (workers_[i].results_fd >= 0) {
        fds.push_back({workers_[i].results_fd, POLLIN, 0});
        owners.push_back(i);
      }
    if (fds.empty()) return false;
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno != EINTR)
        throw RenderError(std::string("waiting for the worker processes: ") + std::strerror(errno));
      dispatch();  // interrupted: lets the idle workers go
      return true;
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if ((fds[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      // workers_ may grow below (a replacement): index, not reference, across spawn().
      if (!handle_message(owners[k])) collect(owners[k]);
    }
    return true;
  }

  // Reads and handles one message of worker i. Returns false when its pipe has closed.
  bool handle_message(std::size_t i) {
    char type = 0;
    std::uint32_t t = 0, size = 0;
    std::string payload;
    const int fd = workers_[i].results_fd;
    if (!read_all(fd, &type, 1) || !read_all(fd, &t, 4) || !read_all(fd, &size, 4)) return false;
    payload.resize(size);
    if (!read_all(fd, payload.data(), size)) return false;
    if (type == kProgress) {
      if (events_.progress) events_.progress(std::stoul(payload));
      return true;
    }
    workers_[i].task = -1;
    if (type == kDone) {
      // The worker takes its next task (or, with none to come, goes) before the event is
      // handled: a chapter's result may finish its book here (the manifest written and
      // synced), and the worker need not wait for that. Tasks the event makes ready go out
      // below.
      dispatch();
      if (events_.done) events_.done(t, payload);
    } else {
      fail(t, payload);
    }
    dispatch();
    return true;
  }

  // Worker i is gone (its pipe closed): collects it, fails what it was doing, and starts
  // another for the tasks left.
  void collect(std::size_t i) {
    ::close(workers_[i].results_fd);
    workers_[i].results_fd = -1;
    let_go(workers_[i]);
    int status = 0;
    wait_for_exit(workers_[i].pid, &status);
    workers_[i].pid = -1;
    if (workers_[i].task >= 0) {
      const std::size_t lost = static_cast<std::size_t>(workers_[i].task);
      workers_[i].task = -1;
      fail(lost, death_message(status));
    }
    dispatch();
  }

  const std::size_t most_;
  const NextTask& next_;
  const WorkerTask& task_;
  const WorkerEvents& events_;
  std::vector<Worker> workers_;
  std::deque<long> held_;  // tasks taken from next_ that no worker could take yet
};

}  // namespace

void run_in_workers(int jobs, const NextTask& next, const WorkerTask& task,
                    const WorkerEvents& events) {
  // A worker that dies must not take the parent with it through SIGPIPE; the parent's own
  // handling comes back however the run ends (an exception too).
  struct IgnoredSigpipe {
    struct sigaction previous {};
    IgnoredSigpipe() {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      ::sigaction(SIGPIPE, &ignore, &previous);
    }
    ~IgnoredSigpipe() { ::sigaction(SIGPIPE, &previous, nullptr); }
  } sigpipe_ignored;
  WorkerPool(jobs, next, task, events).run();
}

void run_in_workers(std::size_t count, int jobs, const WorkerTask& task,
                    const WorkerEvents& events) {
  std::size_t next = 0;
  run_in_workers(
      jobs, [&]() -> long { return next < count ? static_cast<long>(next++) : kNoTaskLeft; }, task,
      events);
}

}  // namespace troupe
