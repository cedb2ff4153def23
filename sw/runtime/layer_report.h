// The per-layer performance report of a run, from the hardware's own counters (session.h):
// cycles, MACs, MAC utilization = MACs / (R * C * cycles), roofline bound
// = max(MACs / (R * C), DRAM bytes / bus bytes per cycle) and efficiency = bound / cycles
// (DESIGN.md section 6), DMA bytes and every unit's busy / stall cycles. As a terminal table,
// a JSON array and a PNG bar chart (gnuplot).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sw/compiler/target.h"
#include "sw/runtime/session.h"

namespace npu::runtime {

struct LayerFigures {
  double ideal_cycles = 0;     // MACs / (R * C)
  double memory_cycles = 0;    // DRAM bytes / bus bytes per cycle
  double roofline_cycles = 0;  // max of the two
  double utilization = 0;      // MACs / (R * C * cycles); 0 without cycles
  double efficiency = 0;       // roofline / cycles; 0 without cycles
  bool memory_bound = false;
};

LayerFigures figures(const LayerStats& s, const compiler::Target& t);

// Sum of per-layer stats (a network total, or the same layer over several images).
LayerStats total(const std::vector<LayerStats>& layers, const std::string& name);

// Adds b's counters into a (same layer of another image); jobs stay per inference.
void accumulate(LayerStats& a, const LayerStats& b);

void print_layer_table(std::ostream& out, const std::vector<LayerStats>& layers,
                       const compiler::Target& t);

// JSON array of per-layer objects plus a total object: {"layers": [...], "total": {...}}.
std::string layer_report_json(const std::vector<LayerStats>& layers, const compiler::Target& t);

// Bar chart of MAC utilization and roofline efficiency per layer, via gnuplot (Debian
// gnuplot-nox). Throws std::runtime_error naming the file when gnuplot fails.
void write_layer_chart(const std::string& png_path, const std::vector<LayerStats>& layers,
                       const compiler::Target& t, const std::string& title);

}  // namespace npu::runtime
