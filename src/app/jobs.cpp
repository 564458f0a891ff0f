// The studio's job queue and worker thread (see jobs.h).
#include "app/jobs.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "acestep/error.h"
#include "app/take_history.h"

namespace acestep::app {

const char* job_state_name(JobState s) {
    switch (s) {
        case JobState::Queued: return "queued";
        case JobState::Running: return "running";
        case JobState::Done: return "done";
        case JobState::Failed: return "failed";
        case JobState::Cancelled: return "cancelled";
    }
    return "?";
}

struct JobQueue::Job {
    JobView view;
    std::atomic<bool> cancel{false};
};

JobQueue::JobQueue() : worker_([this] { run(); }) {}

JobQueue::~JobQueue() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        stop_ = true;
        for (auto& j : all_) j->cancel = true;
    }
    cv_.notify_all();
    worker_.join();
}

void JobQueue::set_engine_options(const EngineOptions& opt) {
    std::lock_guard<std::mutex> lk(mu_);
    engine_opt_ = opt;
    engine_opt_changed_ = true;
}

uint64_t JobQueue::submit(JobSpec spec) {
    auto job = std::make_shared<Job>();
    std::lock_guard<std::mutex> lk(mu_);
    job->view.id = next_id_++;
    job->view.spec = std::move(spec);
    queue_.push_back(job);
    all_.push_back(job);
    cv_.notify_all();
    return job->view.id;
}

void JobQueue::cancel(uint64_t id) {
    std::lock_guard<std::mutex> lk(mu_);
    for (auto it = queue_.begin(); it != queue_.end(); ++it)
        if ((*it)->view.id == id) {
            (*it)->view.state = JobState::Cancelled;
            finished_.push_back(*it);
            queue_.erase(it);
            return;
        }
    if (running_ && running_->view.id == id) running_->cancel = true;
}

void JobQueue::cancel_all() {
    std::vector<uint64_t> ids;
    {
        std::lock_guard<std::mutex> lk(mu_);
        for (auto& j : queue_) ids.push_back(j->view.id);
        if (running_) ids.push_back(running_->view.id);
    }
    for (auto id : ids) cancel(id);
}

void JobQueue::move(uint64_t id, int delta) {
    std::lock_guard<std::mutex> lk(mu_);
    for (size_t i = 0; i < queue_.size(); ++i)
        if (queue_[i]->view.id == id) {
            long j = std::clamp<long>((long)i + delta, 0, (long)queue_.size() - 1);
            auto job = queue_[i];
            queue_.erase(queue_.begin() + i);
            queue_.insert(queue_.begin() + j, job);
            return;
        }
}

void JobQueue::clear_finished() {
    std::lock_guard<std::mutex> lk(mu_);
    all_.erase(std::remove_if(all_.begin(), all_.end(),
                              [](auto& j) { return j->view.state != JobState::Queued && j->view.state != JobState::Running; }),
               all_.end());
}

std::vector<JobView> JobQueue::snapshot() const {
    std::lock_guard<std::mutex> lk(mu_);
    std::vector<JobView> out;
    for (auto& j : all_) out.push_back(j->view);
    // queued jobs in their queue order
    std::stable_sort(out.begin(), out.end(), [&](const JobView& a, const JobView& b) {
        auto pos = [&](uint64_t id) {
            for (size_t i = 0; i < queue_.size(); ++i) if (queue_[i]->view.id == id) return (long)i;
            return -1L;
        };
        if (a.state == JobState::Queued && b.state == JobState::Queued) return pos(a.id) < pos(b.id);
        return false;
    });
    return out;
}

std::vector<JobView> JobQueue::take_finished() {
    std::lock_guard<std::mutex> lk(mu_);
    std::vector<JobView> out;
    for (auto& j : finished_) out.push_back(j->view);
    finished_.clear();
    return out;
}

EngineStatus JobQueue::engine_status() const {
    std::lock_guard<std::mutex> lk(mu_);
    return status_;
}

bool JobQueue::busy() const {
    std::lock_guard<std::mutex> lk(mu_);
    return running_ || !queue_.empty();
}

int JobQueue::queued() const {
    std::lock_guard<std::mutex> lk(mu_);
    return (int)queue_.size();
}

void JobQueue::run() {
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock<std::mutex> lk(mu_);
            cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            job = queue_.front();
            queue_.pop_front();
            running_ = job;
            job->view.state = JobState::Running;
        }
        run_job(job);
        std::lock_guard<std::mutex> lk(mu_);
        running_.reset();
        finished_.push_back(job);
    }
}

void JobQueue::run_job(const std::shared_ptr<Job>& job) {
    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    auto on_progress = [&](const Progress& p) {
        std::lock_guard<std::mutex> lk(mu_);
        job->view.progress = p;
        double eta = p.eta_s;
        // Fall back to a measured ETA once a few percent are done.
        if (eta < 0 && p.fraction > 0.03 && p.elapsed_s > 0) eta = p.elapsed_s * (1.0 - p.fraction) / p.fraction;
        job->view.eta_s = eta;
    };
    JobState final_state = JobState::Done;
    std::string error;
    std::vector<Take> takes;
    std::string download_dir;
    try {
        EngineOptions opt;
        bool rebuild = false;
        {
            std::lock_guard<std::mutex> lk(mu_);
            opt = engine_opt_;
            rebuild = job->view.spec.kind != JobKind::Download && (engine_opt_changed_ || !engine_);
            if (rebuild) engine_opt_changed_ = false;
        }
        if (rebuild) {
            engine_.reset();
            engine_ = std::make_unique<Engine>(opt);
        }
        switch (job->view.spec.kind) {
            case JobKind::Load: engine_->load(on_progress); break;
            case JobKind::Unload: engine_->unload(); break;
            case JobKind::Generate:
                takes = engine_->generate(job->view.spec.params, job->view.spec.out, on_progress, &job->cancel);
                // The studio's name + lineage keys go into the sidecars here, off the UI thread.
                for (auto& t : takes)
                    if (!t.params_path.empty())
                        write_desktop_keys(t.params_path, std::filesystem::path(t.audio_path).stem().string(),
                                           job->view.spec.parent_audio, nullptr);
                break;
            case JobKind::Download: {
                auto r = download_checkpoint(
                    job->view.spec.hub,
                    [&](const DownloadProgress& d) {
                        Progress p;
                        p.stage = "download";
                        p.step = d.file_index;
                        p.total = d.file_count;
                        p.fraction = d.total_total ? double(d.total_done) / d.total_total : 0.0;
                        p.eta_s = d.eta_s;
                        p.elapsed_s = std::chrono::duration<double>(clock::now() - t0).count();
                        p.message = d.phase + " " + d.file;
                        on_progress(p);
                    },
                    &job->cancel);
                download_dir = r.snapshot_dir.string();
                break;
            }
        }
        if (job->cancel) final_state = JobState::Cancelled;
    } catch (const Cancelled&) {
        final_state = JobState::Cancelled;
    } catch (const std::exception& e) {
        final_state = JobState::Failed;
        error = e.what();
    } catch (...) {
        final_state = JobState::Failed;
        error = "unknown error";
    }
    EngineStatus st;
    bool have_status = false;
    if (engine_) {
        try { st = engine_->status(); have_status = true; } catch (...) {}
    }
    std::lock_guard<std::mutex> lk(mu_);
    job->view.state = final_state;
    job->view.error = error;
    job->view.takes = std::move(takes);
    job->view.download_dir = download_dir;
    job->view.wall_s = std::chrono::duration<double>(clock::now() - t0).count();
    if (have_status) status_ = st;
}

}  // namespace acestep::app
