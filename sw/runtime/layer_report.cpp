#include "sw/runtime/layer_report.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace npu::runtime {
namespace {

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string quoted(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

uint64_t stalls(const LayerStats& s) { return s.compute_stall + s.ppu_stall + s.pool_stall; }

}  // namespace

LayerFigures figures(const LayerStats& s, const compiler::Target& t) {
  LayerFigures f;
  f.ideal_cycles = static_cast<double>(s.macs) / t.macs_per_cycle();
  f.memory_cycles = static_cast<double>(s.dma_rd_bytes + s.dma_wr_bytes) / t.bus_bytes();
  f.roofline_cycles = std::max(f.ideal_cycles, f.memory_cycles);
  f.memory_bound = f.memory_cycles > f.ideal_cycles;
  if (s.cycles > 0) {
    f.utilization = f.ideal_cycles / static_cast<double>(s.cycles);
    f.efficiency = f.roofline_cycles / static_cast<double>(s.cycles);
  }
  return f;
}

void accumulate(LayerStats& a, const LayerStats& b) {
  a.macs += b.macs;
  a.est_cycles += b.est_cycles;
  a.jobs = std::max(a.jobs, b.jobs);  // per inference, not summed
  a.cycles += b.cycles;
  a.mac_active += b.mac_active;
  a.dma_rd_bytes += b.dma_rd_bytes;
  a.dma_wr_bytes += b.dma_wr_bytes;
  a.dma_ld_busy += b.dma_ld_busy;
  a.dma_ld_stall += b.dma_ld_stall;
  a.dma_st_busy += b.dma_st_busy;
  a.dma_st_stall += b.dma_st_stall;
  a.compute_busy += b.compute_busy;
  a.compute_stall += b.compute_stall;
  a.ppu_busy += b.ppu_busy;
  a.ppu_stall += b.ppu_stall;
  a.pool_busy += b.pool_busy;
  a.pool_stall += b.pool_stall;
}

LayerStats total(const std::vector<LayerStats>& layers, const std::string& name) {
  LayerStats t;
  t.name = name;
  t.kind = "total";
  for (const LayerStats& l : layers) {
    accumulate(t, l);
    t.jobs = 0;
  }
  for (const LayerStats& l : layers) t.jobs += l.jobs;
  return t;
}

void print_layer_table(std::ostream& out, const std::vector<LayerStats>& layers,
                       const compiler::Target& t) {
  char line[400];
  std::snprintf(line, sizeof line,
                "%-24s %-18s %4s %11s %10s %10s %6s %6s %5s %9s %9s %9s %9s %9s\n", "layer", "kind",
                "jobs", "MACs", "cycles", "roofline", "util", "eff", "bound", "rd KiB", "wr KiB",
                "ld stall", "st stall", "cp stall");
  out << line;
  auto row = [&](const LayerStats& s) {
    const LayerFigures f = figures(s, t);
    std::snprintf(
        line, sizeof line,
        "%-24s %-18s %4d %11lld %10llu %10.0f %6s %6s %5s %9.1f %9.1f %9llu %9llu %9llu\n",
        s.name.substr(0, 24).c_str(), s.kind.substr(0, 18).c_str(), s.jobs,
        static_cast<long long>(s.macs), static_cast<unsigned long long>(s.cycles),
        f.roofline_cycles, s.cycles ? fmt("%.3f", f.utilization).c_str() : "-",
        s.cycles ? fmt("%.3f", f.efficiency).c_str() : "-", f.memory_bound ? "mem" : "mac",
        static_cast<double>(s.dma_rd_bytes) / 1024, static_cast<double>(s.dma_wr_bytes) / 1024,
        static_cast<unsigned long long>(s.dma_ld_stall),
        static_cast<unsigned long long>(s.dma_st_stall),
        static_cast<unsigned long long>(stalls(s)));
    out << line;
  };
  for (const LayerStats& s : layers) row(s);
  row(total(layers, "total"));
}

std::string layer_report_json(const std::vector<LayerStats>& layers, const compiler::Target& t) {
  std::ostringstream o;
  auto obj = [&](const LayerStats& s) {
    const LayerFigures f = figures(s, t);
    o << "{\"name\": " << quoted(s.name) << ", \"kind\": " << quoted(s.kind)
      << ", \"tiling\": " << quoted(s.tiling) << ", \"jobs\": " << s.jobs
      << ", \"macs\": " << s.macs << ", \"cycles\": " << s.cycles
      << ", \"model_estimate_cycles\": " << s.est_cycles
      << ", \"mac_active_cycles\": " << s.mac_active << ", \"mac_utilization\": " << f.utilization
      << ", \"roofline_cycles\": " << f.roofline_cycles
      << ", \"roofline_efficiency\": " << f.efficiency
      << ", \"memory_bound\": " << (f.memory_bound ? "true" : "false")
      << ", \"dma_read_bytes\": " << s.dma_rd_bytes << ", \"dma_write_bytes\": " << s.dma_wr_bytes
      << ", \"busy\": {\"load_dma\": " << s.dma_ld_busy << ", \"store_dma\": " << s.dma_st_busy
      << ", \"compute\": " << s.compute_busy << ", \"ppu\": " << s.ppu_busy
      << ", \"pool\": " << s.pool_busy << "}"
      << ", \"stall\": {\"load_dma\": " << s.dma_ld_stall << ", \"store_dma\": " << s.dma_st_stall
      << ", \"compute\": " << s.compute_stall << ", \"ppu\": " << s.ppu_stall
      << ", \"pool\": " << s.pool_stall << "}}";
  };
  o << "{\"array\": \"" << t.rows << "x" << t.cols << "\", \"config\": " << quoted(t.name)
    << ", \"layers\": [";
  for (size_t i = 0; i < layers.size(); ++i) {
    o << (i ? ",\n  " : "\n  ");
    obj(layers[i]);
  }
  o << "],\n \"total\": ";
  obj(total(layers, "total"));
  o << "}";
  return o.str();
}

void write_layer_chart(const std::string& png_path, const std::vector<LayerStats>& layers,
                       const compiler::Target& t, const std::string& title) {
  const std::string data = png_path + ".dat", script = png_path + ".gp";
  {
    std::ofstream d(data);
    if (!d) throw std::runtime_error("cannot write " + data);
    for (const LayerStats& s : layers) {
      const LayerFigures f = figures(s, t);
      d << quoted(s.name) << " " << f.utilization << " " << f.efficiency << "\n";
    }
  }
  {
    std::ofstream g(script);
    if (!g) throw std::runtime_error("cannot write " + script);
    g << "set terminal png size " << std::max<size_t>(800, 40 * layers.size() + 200) << ",520\n"
      << "set output " << quoted(png_path) << "\n"
      << "set title " << quoted(title) << " noenhanced\n"
      << "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 "
         "border -1\n"
      << "set yrange [0:1.05]\nset ylabel 'fraction'\nset grid ytics\nset key top right\n"
      << "set xtics rotate by -60 noenhanced font ',8'\nset bmargin 9\n"
      << "plot " << quoted(data)
      << " using 2:xtic(1) title 'MAC utilization', '' using 3 title 'roofline efficiency'\n";
  }
  const std::string cmd = "gnuplot " + quoted(script) + " 2>&1";
  const int rc = std::system(cmd.c_str());
  std::error_code ec;
  std::filesystem::remove(data, ec);
  std::filesystem::remove(script, ec);
  if (rc != 0)
    throw std::runtime_error("gnuplot failed (exit " + std::to_string(rc) + ") writing " +
                             png_path);
}

}  // namespace npu::runtime
