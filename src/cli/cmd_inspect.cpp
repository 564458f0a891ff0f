// `acestep-cli inspect FILE.safetensors`: list tensors (name, dtype, shape, bytes) and metadata.
#include <cstdio>

#include "acestep/error.h"
#include "acestep/safetensors.h"
#include "cli/args.h"

namespace acestep::cli {

static int cmd_inspect(int argc, char** argv) {
    std::vector<std::string> files;
    Args a("inspect", "FILE.safetensors...", "Lists every tensor of a safetensors file and its metadata.\n"
                                             "A malformed file gives one error line naming the file and the problem.");
    a.positional("FILE", &files, "safetensors file(s) to list");
    if (!a.parse(argc, argv)) return 0;
    if (files.empty()) throw Error("inspect: no file given (see acestep-cli inspect -h)");
    int rc = 0;
    for (const auto& path : files) {
        std::shared_ptr<st::File> f;
        try {
            f = st::File::open(path);
        } catch (const Error& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            rc = 1;
            continue;
        }
        uint64_t total = 0, params = 0;
        std::printf("%s: %zu tensors\n", path.c_str(), f->tensors().size());
        for (const auto& t : f->tensors()) {
            std::string shape = "[";
            for (size_t i = 0; i < t.shape.size(); ++i) shape += (i ? ", " : "") + std::to_string(t.shape[i]);
            shape += "]";
            std::printf("  %-70s %-5s %-24s %12llu\n", t.name.c_str(), st::dtype_name(t.dtype), shape.c_str(),
                        (unsigned long long)t.nbytes);
            total += t.nbytes;
            params += (uint64_t)t.numel();
        }
        std::printf("  total: %llu elements, %llu bytes\n", (unsigned long long)params, (unsigned long long)total);
        for (const auto& [k, v] : f->metadata()) std::printf("  metadata %s = %s\n", k.c_str(), v.c_str());
    }
    return rc;
}

ACESTEP_CLI_COMMAND(inspect, "inspect", "list the tensors and metadata of a .safetensors file", cmd_inspect);

}  // namespace acestep::cli
