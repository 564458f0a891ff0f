// ACE-Step Desktop: the ImGui + GLFW studio.  A thin main: window, fonts, the frame loop, file drops
// and the scripted-run mode; the screens live in src/app/* and talk to the engine only through
// acestep/engine.h.
//
//   acestep [--checkpoint DIR] [--output-dir DIR] [--config-dir DIR]
//           [--script FILE.json [--report OUT.json]] [--frames N] [--no-save-settings] [--version]
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "acestep/version.h"
#include "app/app.h"
#include "app/ui_script.h"
#include "app/widgets.h"

namespace {

void glfw_error(int code, const char* msg) { std::fprintf(stderr, "GLFW error %d: %s\n", code, msg); }

std::mutex g_drop_mu;
std::vector<std::string> g_dropped;

void on_drop(GLFWwindow*, int n, const char** paths) {
    std::lock_guard<std::mutex> lk(g_drop_mu);
    for (int i = 0; i < n; ++i) g_dropped.emplace_back(paths[i]);
}

void usage() {
    std::printf(
        "usage: acestep [options]\n"
        "  --checkpoint DIR     model folder (overrides the saved setting)\n"
        "  --output-dir DIR     where takes and sidecars are written (default ./outputs)\n"
        "  --config-dir DIR     settings folder (default $XDG_CONFIG_HOME/acestep or ~/.config/acestep)\n"
        "  --script FILE        run a scripted UI session (see src/app/ui_script.h) and quit\n"
        "  --report FILE        write the scripted session's JSON report here\n"
        "  --frames N           quit after N frames\n"
        "  --no-save-settings   do not write settings at exit\n"
        "  --version            print the version\n");
}

void setup_fonts_and_style(GLFWwindow* win, float user_scale) {
    float xs = 1.0f, ys = 1.0f;
    glfwGetWindowContentScale(win, &xs, &ys);
    float scale = user_scale > 0 ? user_scale : std::max(1.0f, xs);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed; settings.json holds what persists
    const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF, 0x2000, 0x206F, 0x2190, 0x21FF, 0};
    if (std::filesystem::exists(font)) io.Fonts->AddFontFromFileTTF(font, 15.0f * scale, &cfg, ranges);
    else {
        cfg.SizePixels = 13.0f * scale;
        io.Fonts->AddFontDefault(&cfg);
    }
    // Lyrics in Chinese / Japanese / Korean need a CJK font: merged in when one is installed
    // (fonts-noto-cjk); otherwise those characters show as '?'.
    for (const char* cjk : {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                            "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
                            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"}) {
        if (!std::filesystem::exists(cjk)) continue;
        ImFontConfig merge;
        merge.MergeMode = true;
        static ImVector<ImWchar> cjk_ranges;
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
        b.AddRanges(io.Fonts->GetGlyphRangesJapanese());
        b.AddRanges(io.Fonts->GetGlyphRangesKorean());
        b.BuildRanges(&cjk_ranges);
        io.Fonts->AddFontFromFileTTF(cjk, 15.0f * scale, &merge, cjk_ranges.Data);
        break;
    }
    ImGui::StyleColorsDark();
    ImGuiStyle& st = ImGui::GetStyle();
    st.FrameRounding = 3.0f;
    st.GrabRounding = 3.0f;
    st.WindowRounding = 0.0f;
    st.ScaleAllSizes(scale);
}

}  // namespace

int main(int argc, char** argv) {
    auto t_start = std::chrono::steady_clock::now();
    int max_frames = -1;
    std::string script_path, report_path;
    acestep::app::AppOptions opt;
    for (int i = 1; i < argc; ++i) {
        auto arg = [&](const char* name) { return !std::strcmp(argv[i], name) && i + 1 < argc; };
        if (arg("--frames")) max_frames = std::atoi(argv[++i]);
        else if (arg("--script")) script_path = argv[++i];
        else if (arg("--report")) report_path = argv[++i];
        else if (arg("--config-dir")) opt.config_dir = argv[++i];
        else if (arg("--output-dir")) opt.output_dir = argv[++i];
        else if (arg("--checkpoint")) opt.checkpoint = argv[++i];
        else if (!std::strcmp(argv[i], "--no-save-settings")) opt.save_settings = false;
        else if (!std::strcmp(argv[i], "--version")) {
            std::printf("acestep %s\n", ACESTEP_VERSION_STRING);
            return 0;
        } else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else {
            std::fprintf(stderr, "acestep: unknown option %s (see --help)\n", argv[i]);
            return 2;
        }
    }
    acestep::app::UiScript script;
    if (!script_path.empty()) {
        std::string err;
        if (!script.load(script_path, &err)) {
            std::fprintf(stderr, "error: %s\n", err.c_str());
            return 2;
        }
    }

    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "error: cannot open a window (no display? run under a desktop session or xvfb-run)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    GLFWwindow* win = glfwCreateWindow(1280, 800, "ACE-Step Desktop", nullptr, nullptr);
    if (!win) {
        std::fprintf(stderr, "error: cannot create an OpenGL 3.3 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(win);
    glfwSwapInterval(script_path.empty() ? 1 : 0);
    glfwSetDropCallback(win, on_drop);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    int rc = 0;
    {
        acestep::app::App app(opt, win);
        if (script_path.empty() && (app.settings.window_w != 1280 || app.settings.window_h != 800) &&
            app.settings.window_w >= 640 && app.settings.window_h >= 480)
            glfwSetWindowSize(win, app.settings.window_w, app.settings.window_h);
        setup_fonts_and_style(win, app.settings.font_scale);
        ImGui_ImplGlfw_InitForOpenGL(win, true);
        ImGui_ImplOpenGL3_Init("#version 330 core");

        int frame = 0;
        bool scripted = !script_path.empty();
        while (!glfwWindowShouldClose(win) && !app.quit_requested) {
            auto f0 = std::chrono::steady_clock::now();
            // Idle politely; keep drawing every frame while something moves.
            if (scripted || app.jobs.busy() || app.player.playing()) glfwPollEvents();
            else glfwWaitEventsTimeout(0.1);
            f0 = std::chrono::steady_clock::now();
            timespec c0{}, c1{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
            {
                std::vector<std::string> dropped;
                {
                    std::lock_guard<std::mutex> lk(g_drop_mu);
                    dropped.swap(g_dropped);
                }
                if (!dropped.empty()) app.on_drop(dropped);
            }
            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            if (scripted) script.before_frame(app, ImGui::GetIO());
            ImGui::NewFrame();
            acestep::app::ui::begin_frame();
            if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('Q')) app.quit_requested = true;
            app.frame();
            ImGui::Render();
            int w, h;
            glfwGetFramebufferSize(win, &w, &h);
            glViewport(0, 0, w, h);
            glClearColor(0.1f, 0.1f, 0.12f, 1.0f);
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            if (scripted) script.after_render(app, w, h);
            glfwSwapBuffers(win);
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - f0).count();
            double cpu_ms = (c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6;
            app.last_frame_ms = ms;
            if (++frame == 1) {
                double startup = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
                timespec pc{};
                clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pc);  // all threads, from exec (library loading included)
                script.note_startup(startup, pc.tv_sec * 1e3 + pc.tv_nsec / 1e6);
            }
            if (scripted) {
                script.record_frame(ms, cpu_ms, app.jobs.busy());
                if (script.finished()) break;
            }
            if (max_frames >= 0 && frame >= max_frames) break;
        }
        if (scripted) {
            rc = script.ok() ? 0 : 3;
            if (!report_path.empty()) {
                std::ofstream f(report_path);
                f << script.report(app).dump(2) << "\n";
                if (!f) {
                    std::fprintf(stderr, "error: cannot write %s\n", report_path.c_str());
                    rc = rc ? rc : 4;
                }
            }
        }
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
    }
    ImGui::DestroyContext();
    glfwDestroyWindow(win);
    glfwTerminate();
    return rc;
}
