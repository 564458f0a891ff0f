// Engine: placeholder until the pipeline lands (the pipeline issue replaces this file).
#include "acestep/engine.h"

#include "acestep/error.h"

namespace acestep {

struct Engine::Impl {
    EngineOptions opt;
};

Engine::Engine(EngineOptions opt) : impl_(std::make_unique<Impl>()) { impl_->opt = std::move(opt); }
Engine::~Engine() = default;
void Engine::load(const ProgressFn&) { throw Error("the generation engine is not built yet"); }
void Engine::unload() {}
EngineStatus Engine::status() const { return {}; }
const EngineOptions& Engine::options() const { return impl_->opt; }
std::vector<Take> Engine::generate(const GenerationParams& params, const OutputOptions&, const ProgressFn&,
                                   const std::atomic<bool>*) {
    validate_params(params);
    throw Error("the generation engine is not built yet");
}

}  // namespace acestep
