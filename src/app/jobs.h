// The job queue: every slow thing the studio does (load the model, generate, download a checkpoint)
// runs here, on one worker thread, in submission order, so the UI thread only draws.
//
// The UI submits jobs and reads snapshots (state, stage, step k/N, ETA, error) under a mutex; a job
// can be cancelled while queued or running (the engine checks the flag between diffusion steps), and
// queued jobs can be reordered.  The Engine is created on the worker from the current EngineOptions
// and rebuilt when they change; only the worker ever calls into it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "acestep/engine.h"
#include "acestep/hub.h"
#include "acestep/params.h"

namespace acestep::app {

enum class JobKind { Generate, Load, Unload, Download };
enum class JobState { Queued, Running, Done, Failed, Cancelled };
const char* job_state_name(JobState s);

struct JobSpec {
    JobKind kind = JobKind::Generate;
    std::string title;              // shown in the queue, e.g. "Repaint 12.0-20.5 s of take 3"
    GenerationParams params;        // Generate
    OutputOptions out;              // Generate
    std::string parent_audio;       // Generate: the take this one derives from ("" for text2music)
    HubOptions hub;                 // Download
};

struct JobView {
    uint64_t id = 0;
    JobSpec spec;
    JobState state = JobState::Queued;
    Progress progress;              // last report from the engine / downloader
    double eta_s = -1.0;            // engine ETA, or one measured from the progress so far
    std::string error;
    std::vector<Take> takes;        // Generate: the written takes
    std::string download_dir;       // Download: the snapshot folder
    double wall_s = 0.0;
};

class JobQueue {
public:
    JobQueue();
    ~JobQueue();  // cancels everything and joins the worker
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    // Takes effect before the next job starts (the engine is rebuilt, models reload lazily).
    void set_engine_options(const EngineOptions& opt);
    uint64_t submit(JobSpec spec);
    void cancel(uint64_t id);
    void cancel_all();
    void move(uint64_t id, int delta);  // reorder among queued jobs
    void clear_finished();

    std::vector<JobView> snapshot() const;
    std::vector<JobView> take_finished();   // jobs that finished since the last call
    EngineStatus engine_status() const;     // as of the last job (never blocks on the engine)
    bool busy() const;                      // a job is queued or running
    int queued() const;

private:
    struct Job;
    void run();
    void run_job(const std::shared_ptr<Job>& job);

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::vector<std::shared_ptr<Job>> all_;
    std::vector<std::shared_ptr<Job>> finished_;
    std::shared_ptr<Job> running_;
    EngineOptions engine_opt_;
    bool engine_opt_changed_ = true;
    EngineStatus status_;
    uint64_t next_id_ = 1;
    bool stop_ = false;
    std::unique_ptr<Engine> engine_;  // worker thread only
    std::thread worker_;
};

}  // namespace acestep::app
