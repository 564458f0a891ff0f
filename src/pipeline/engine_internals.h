// Internal access to an Engine's model store, for tests that swap a component for a fake (e.g. the
// codec) while running the real Engine code path.  Not part of the public API.
#pragma once

#include "acestep/engine.h"
#include "pipeline/model_store.h"

namespace acestep {

struct EngineInternals {
    // Creates the store if needed (resolves device/dtype; loads nothing).
    static pipeline::ModelStore& store(Engine& e);
};

}  // namespace acestep
