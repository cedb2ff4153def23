#include "sw/compiler/compiler.h"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "golden/add.h"
#include "sw/compiler/conv_packing.h"
#include "sw/compiler/fc_lowering.h"
#include "sw/compiler/layer_tiling.h"
#include "sw/compiler/stream_builder.h"
#include "sw/compiler/tensor_layout.h"

namespace npu::compiler {
namespace {

using model::Layer;
using model::Op;

constexpr uint64_t kTensorAlign = 4096;
constexpr uint64_t kStreamAlign = 64;

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

[[noreturn]] void fail(const Layer& l, const std::string& why) {
  throw CompileError("layer '" + l.name + "' (" + model::op_name(l.op) + "): " + why);
}

// One hardware layer: a network layer, or a conv with the add it feeds.
struct HwLayer {
  const Layer* main = nullptr;  // conv / fc / pool
  const Layer* add = nullptr;   // fused residual add
  std::string residual;         // the add's other input
};

class Builder {
 public:
  Builder(const model::Network& net, const Target& t, const CompileOptions& o) : net_(net), t_(t) {
    next_ = align_up(o.dram_base, kTensorAlign);
    prog_.target = t;
    prog_.network = net.name;
    prog_.output = net.output;
  }

  Program run() {
    prog_.input = place("input", net_.input_shape, net_.input_quant);
    for (const HwLayer& h : hardware_layers()) emit(h);
    prog_.dram_end = next_;
    return std::move(prog_);
  }

 private:
  TensorPlacement place(const std::string& name, const golden::Shape& shape,
                        golden::QuantParams q) {
    TensorPlacement p;
    p.name = name;
    p.shape = shape;
    p.quant = q;
    p.bytes = packed_bytes(shape, t_.rows);
    p.addr = alloc(static_cast<uint64_t>(p.bytes), kTensorAlign);
    tensors_[name] = p;
    return p;
  }

  uint64_t alloc(uint64_t bytes, uint64_t align) {
    const uint64_t a = align_up(next_, align);
    next_ = a + bytes;
    return a;
  }

  const TensorPlacement& tensor(const Layer& l, const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) fail(l, "input tensor '" + name + "' is not computed before it");
    return it->second;
  }

  // Network layers in order, adds fused into the conv that feeds them (emitted at the add).
  std::vector<HwLayer> hardware_layers() const {
    std::map<std::string, int> consumers;
    for (const Layer& l : net_.layers)
      for (const std::string& in : l.inputs) ++consumers[in];
    ++consumers[net_.output];
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < net_.layers.size(); ++i) index[net_.layers[i].name] = i;
    std::map<std::string, const Layer*> fused;  // conv name -> its add
    std::vector<HwLayer> out;
    for (const Layer& l : net_.layers) {
      if (l.op != Op::kAdd) continue;
      const Layer* best = nullptr;
      for (const std::string& in : l.inputs) {
        auto it = index.find(in);
        if (it == index.end()) continue;
        const Layer& p = net_.layers[it->second];
        if (p.op == Op::kConv2d && consumers[in] == 1 && !fused.count(in) &&
            (best == nullptr || index.at(p.name) > index.at(best->name)))
          best = &p;
      }
      if (best == nullptr)
        fail(l,
             "neither input is a conv2d used only by this add; the hardware adds only fused "
             "into a conv (PPU mode 1)");
      fused[best->name] = &l;
    }
    for (const Layer& l : net_.layers) {
      if (fused.count(l.name)) continue;
      HwLayer h;
      if (l.op == Op::kAdd) {
        for (const auto& [conv, add] : fused) {
          if (add != &l) continue;
          h.main = &net_.layers[index.at(conv)];
          h.add = &l;
          h.residual = l.inputs[0] == conv ? l.inputs[1] : l.inputs[0];
        }
      } else {
        h.main = &l;
      }
      out.push_back(h);
    }
    return out;
  }

  LayerShape shape_of(const HwLayer& h, const TensorPlacement& in) const {
    const Layer& l = *h.main;
    LayerShape s;
    s.name = h.add ? l.name + "+" + h.add->name : l.name;
    s.h = in.shape.h;
    s.w = in.shape.w;
    s.c = in.shape.c;
    s.oh = l.output_shape.h;
    s.ow = l.output_shape.w;
    s.o = l.output_shape.c;
    const golden::ConvGeometry& g = l.geometry;
    s.kh = g.kernel_h;
    s.kw = g.kernel_w;
    s.sh = g.stride_h;
    s.sw = g.stride_w;
    s.pt = g.pad_top;
    s.pl = g.pad_left;
    s.pb = g.pad_bottom;
    s.pr = g.pad_right;
    s.residual = h.add != nullptr;
    switch (l.op) {
      case Op::kConv2d:
        s.kind = JobKind::kConv;
        break;
      case Op::kFullyConnected: {
        s.kind = JobKind::kConv;
        s.kh = s.kw = s.sh = s.sw = 1;
        s.pt = s.pl = s.pb = s.pr = 0;
        if (const std::optional<FcView> v = fc_flattened(l, in)) {
          s.h = s.kh = v->kernel_h;
          s.w = s.kw = v->kernel_w;
          s.c = v->groups * t_.rows;
        }
        break;
      }
      case Op::kMaxPool:
        s.kind = JobKind::kMaxPool;
        break;
      case Op::kAvgPool:
        s.kind = JobKind::kAvgPool;
        break;
      case Op::kGlobalAvgPool:
        s.kind = JobKind::kGlobalAvgPool;
        s.kh = s.kw = s.sh = s.sw = 1;
        s.pt = s.pl = s.pb = s.pr = 0;
        break;
      case Op::kAdd:
        fail(l, "internal: an add reached the tiler");
    }
    if (s.kind != JobKind::kConv && (s.kh > 7 || s.kw > 7 || s.sh > 7 || s.sw > 7 || s.pt > 7 ||
                                     s.pl > 7 || s.pb > 7 || s.pr > 7))
      fail(l, "pool kernel, stride and padding must be at most 7");
    if (s.kind == JobKind::kConv &&
        (s.kh > 7 || s.kw > 7 || s.sh > 7 || s.sw > 7 || s.pt > 7 || s.pl > 7))
      fail(l, "kernel, stride and top/left padding must be at most 7");
    return s;
  }

  // How an FC layer runs: as a 1x1 conv on a 1x1xC input (nullopt), or, on any other input,
  // as a conv whose kernel covers the input's words read as a virtual image (fc_lowering.h).
  std::optional<FcView> fc_flattened(const Layer& l, const TensorPlacement& in) const {
    if (l.op != Op::kFullyConnected) return std::nullopt;
    if (in.shape.h == 1 && in.shape.w == 1 && word_groups(in.shape.c, t_.rows) <= 255)
      return std::nullopt;
    std::optional<FcView> v = fc_view(in.shape, t_.rows);
    if (!v)
      fail(l, "the input " + golden::to_string(in.shape) + " has more than 7 x 7 x 255 words of " +
                  std::to_string(t_.rows) + " channels; the flattened FC does not fit a COMPUTE");
    return v;
  }

  static DmaCmd dma(uint32_t dst, uint32_t bank, int64_t sp, uint64_t addr, int64_t len) {
    DmaCmd d;
    d.dst = dst;
    d.bank = bank;
    d.sp_addr = static_cast<uint32_t>(sp);
    d.addr = static_cast<uint32_t>(addr);
    d.len = static_cast<uint32_t>(len);
    return d;
  }

  // `pixels` pixels of N-tiles [n0, n0 + nb) of a tensor with `groups` words per pixel.
  DmaCmd tile_dma(uint32_t dst, uint32_t bank, int64_t sp, const TensorPlacement& tp,
                  int64_t first_pixel, int64_t pixels, int n0, int nb, int groups) const {
    const int64_t R = t_.rows;
    if (nb == groups)
      return dma(dst, bank, sp, tp.addr + first_pixel * groups * R, pixels * groups * R);
    DmaCmd d = dma(dst, bank, sp, tp.addr + (first_pixel * groups + n0) * R, nb * R);
    d.cnt1 = static_cast<uint32_t>(pixels);
    d.stride1 = static_cast<uint32_t>(groups * R);
    return d;
  }

  // What every job of one hardware layer shares: its shape and plan, its tensors, and for a
  // conv the DRAM addresses of its weights and PPU table and the fused add's parameters.
  struct LayerJobs {
    const Layer* layer = nullptr;
    LayerShape s;
    LayerPlan plan;
    const TensorPlacement* in = nullptr;
    TensorPlacement out;
    const TensorPlacement* res = nullptr;
    int G = 1, NT = 1;  // words per pixel of the input, of the output
    uint64_t w_addr = 0, t_addr = 0;
    KPacking kp;
    golden::AddParams add;
  };

  // A conv's packed weights and PPU table into DRAM (program constants), addresses into L.
  void place_conv_constants(const HwLayer& h, LayerJobs& L) {
    const Layer& l = *L.layer;
    const LayerShape& s = L.s;
    const TensorPlacement& in = *L.in;
    const int R = t_.rows;
    L.kp = KPacking::of(s.c, s.kh * s.kw, R);
    const std::optional<FcView> fc = fc_flattened(l, in);
    const std::vector<uint8_t> packed =
        fc ? pack_conv_weights(fc_view_weights(l.weights, in.shape, *fc, R), R, t_.cols)
           : pack_conv_weights(l.weights, R, t_.cols);
    DramSegment w{"weights of " + l.name, 0, packed};
    w.addr = L.w_addr = alloc(w.bytes.size(), kTensorAlign);
    DramSegment tb{"PPU table of " + l.name, 0,
                   ppu_records(l.weights, in.quant, l.output_quant, l.relu, t_.cols)};
    tb.addr = L.t_addr = alloc(tb.bytes.size(), kStreamAlign);
    prog_.constants.push_back(std::move(w));
    prog_.constants.push_back(std::move(tb));
    if (h.add)
      L.add =
          golden::AddParams::make(l.output_quant, L.res->quant, h.add->output_quant, h.add->relu);
  }

  // The COMPUTE command of job `j`; `job_groups` words per input pixel.
  ComputeCmd compute_command(const LayerJobs& L, const JobPlan& j, int64_t in_base,
                             int64_t out_base, int64_t res_base, int64_t pixels,
                             int job_groups) const {
    const Layer& l = *L.layer;
    const LayerShape& s = L.s;
    const TensorPlacement& in = *L.in;
    const TensorPlacement* res = L.res;
    const KPacking& kp = L.kp;
    const golden::AddParams& add = L.add;
    const bool conv = s.kind == JobKind::kConv;
    ComputeCmd c;
    c.in_bank = 0;
    c.in_base = static_cast<uint32_t>(in_base);
    c.in_h = static_cast<uint32_t>(j.in_hi - j.in_lo);
    c.in_w = static_cast<uint32_t>(s.w);
    c.in_groups = static_cast<uint32_t>(job_groups);
    c.in_zp = static_cast<uint32_t>(in.quant.zero_point) & 0xff;
    c.in_row_words = static_cast<uint32_t>(s.w * job_groups);
    c.kernel_h = static_cast<uint32_t>(s.kh);
    c.kernel_w = static_cast<uint32_t>(s.kw);
    c.stride_h = static_cast<uint32_t>(s.sh);
    c.stride_w = static_cast<uint32_t>(s.sw);
    c.pad_top = static_cast<uint32_t>(j.pad_top);
    c.pad_left = static_cast<uint32_t>(s.pl);
    c.out_w = static_cast<uint32_t>(s.ow);
    c.pixels = static_cast<uint32_t>(pixels);
    c.out_bank = 1;
    c.out_base = static_cast<uint32_t>(out_base);
    c.out_groups = static_cast<uint32_t>(j.nb);
    if (conv) {
      c.job = 0;
      c.slot = static_cast<uint32_t>(kp.slot);
      c.taps_per_chunk = static_cast<uint32_t>(kp.taps_per_chunk);
      c.kchunks = static_cast<uint32_t>(kp.kchunks);
      c.ntiles = static_cast<uint32_t>(j.nb);
      c.mblock = static_cast<uint32_t>(std::min<int64_t>(t_.acc_depth, pixels));
      c.mblocks =
          static_cast<uint32_t>(ceil_div(static_cast<int>(pixels), static_cast<int>(c.mblock)));
      c.w_bank = static_cast<uint32_t>(j.w_bank);
      c.w_base = 0;
      c.w_words = static_cast<uint32_t>(j.w_words);
      c.res_bank = 1;
      // Without a residual the field is unused; 0 keeps it in range when the output tile
      // fills the whole region (out_base + out_cap_words would be the bank's depth).
      c.res_base = res ? static_cast<uint32_t>(res_base) : 0;
      c.zp = static_cast<uint32_t>(l.output_quant.zero_point) & 0xff;
      c.relu = l.relu ? 1 : 0;
      if (res) {
        c.mode = 1;
        c.add_zp_a = static_cast<uint32_t>(add.a_zero_point) & 0xff;
        c.add_zp_b = static_cast<uint32_t>(add.b_zero_point) & 0xff;
        c.add_zp_out = static_cast<uint32_t>(add.output_zero_point) & 0xff;
        c.add_mult_a = static_cast<uint32_t>(add.a_multiplier.multiplier);
        c.add_mult_b = static_cast<uint32_t>(add.b_multiplier.multiplier);
        c.add_mult_out = static_cast<uint32_t>(add.output_multiplier.multiplier);
        c.add_shift_a = static_cast<uint32_t>(add.a_multiplier.shift) & 0x3f;
        c.add_shift_b = static_cast<uint32_t>(add.b_multiplier.shift) & 0x3f;
        c.add_shift_out = static_cast<uint32_t>(add.output_multiplier.shift) & 0x3f;
        c.add_relu = add.relu ? 1 : 0;
      }
    } else {
      c.job = 1;
      c.pool_mode = s.kind == JobKind::kMaxPool ? 0 : s.kind == JobKind::kAvgPool ? 1 : 2;
      c.pad_bottom = static_cast<uint32_t>(j.pad_bottom);
      c.pad_right = static_cast<uint32_t>(s.pr);
      c.res_bank = 1;  // unused; differs from the input bank
    }
    return c;
  }

  // Job `j`: its loads (input band, weights, PPU table, residual), compute and store.
  JobStep job_step(const LayerJobs& L, const JobPlan& j) const {
    const LayerShape& s = L.s;
    const LayerPlan& plan = L.plan;
    const TensorPlacement& in = *L.in;
    const TensorPlacement* res = L.res;
    const bool conv = s.kind == JobKind::kConv;
    const int R = t_.rows, G = L.G, NT = L.NT;
    JobStep st;
    const int64_t in_base = int64_t{j.in_region} * plan.in_region_words;
    const int64_t out_base = int64_t{j.out_region} * plan.out_region_words;
    const int64_t res_base = out_base + plan.out_cap_words;
    const int64_t pixels = int64_t{j.oy1 - j.oy0} * s.ow;
    const int64_t row_bytes = int64_t{s.w} * G * R;
    // A flattened FC's virtual image may end in a partial row: load only the tensor's bytes.
    const int64_t in_bytes =
        std::min((j.in_hi - j.in_lo) * row_bytes, in.bytes - j.in_lo * row_bytes);
    // A pool job of a block of channel groups reads only those groups of every pixel.
    const bool pool_block = !conv && j.nb < G;
    const int job_groups = pool_block ? j.nb : G;
    if (j.load_input)
      st.loads.push_back({pool_block ? tile_dma(0, 0, in_base, in, int64_t{j.in_lo} * s.w,
                                                int64_t{j.in_hi - j.in_lo} * s.w, j.n0, j.nb, G)
                                     : dma(0, 0, in_base, in.addr + j.in_lo * row_bytes, in_bytes),
                          j.dep_input});
    if (j.load_weights)
      st.loads.push_back(
          {dma(1, static_cast<uint32_t>(j.w_bank), 0,
               L.w_addr + int64_t{j.n0} * L.kp.kchunks * R * t_.cols, j.w_words * t_.cols),
           j.dep_weights});
    if (j.load_table)
      st.loads.push_back({dma(2, 0, 0, L.t_addr + int64_t{j.n0} * t_.cols * kPpuRecordBytes,
                              int64_t{j.nb} * t_.cols * kPpuRecordBytes),
                          j.dep_table});
    if (res)
      st.loads.push_back(
          {tile_dma(0, 1, res_base, *res, int64_t{j.oy0} * s.ow, pixels, j.n0, j.nb, NT),
           j.dep_residual});
    st.compute = compute_command(L, j, in_base, out_base, res_base, pixels, job_groups);
    st.store = tile_dma(0, 1, out_base, L.out, int64_t{j.oy0} * s.ow, pixels, j.n0, j.nb, NT);
    st.out_prev_job = j.out_prev_job;
    return st;
  }

  // One hardware layer: its tiling, constants, command stream and LayerProgram.
  void emit(const HwLayer& h) {
    const Layer& l = *h.main;
    LayerJobs L;
    L.layer = &l;
    L.in = &tensor(l, l.inputs.at(0));
    L.s = shape_of(h, *L.in);
    const LayerShape& s = L.s;
    L.plan = plan_layer(s, t_);
    const Layer& out_layer = h.add ? *h.add : l;
    L.out = place(out_layer.name, out_layer.output_shape, out_layer.output_quant);
    L.res = h.add ? &tensor(*h.add, h.residual) : nullptr;
    const TensorPlacement* res = L.res;
    if (res && (res->shape.h != s.oh || res->shape.w != s.ow || res->shape.c != s.o))
      fail(*h.add, "residual '" + h.residual + "' has shape " + golden::to_string(res->shape) +
                       ", the conv output " + golden::to_string(l.output_shape));
    const bool conv = s.kind == JobKind::kConv;
    L.G = word_groups(s.c, t_.rows);
    L.NT = conv ? ceil_div(s.o, t_.cols) : L.G;
    if (conv) place_conv_constants(h, L);
    std::vector<JobStep> steps;
    for (const JobPlan& j : L.plan.jobs) steps.push_back(job_step(L, j));
    const std::vector<CmdWords> stream = build_stream(steps);
    DramSegment seg{"command stream of " + out_layer.name, 0, to_bytes(stream)};
    seg.addr = alloc(seg.bytes.size(), kStreamAlign);
    LayerProgram lp;
    lp.name = out_layer.name;
    lp.kind = std::string(model::op_name(l.op)) + (h.add ? "+add" : "");
    lp.covers.push_back(l.name);
    if (h.add) lp.covers.push_back(h.add->name);
    lp.stream_addr = seg.addr;
    lp.commands = static_cast<uint32_t>(stream.size());
    lp.jobs = static_cast<int>(L.plan.jobs.size());
    lp.macs = l.macs();
    lp.tiling = L.plan.tiling;
    lp.output = L.out;
    prog_.constants.push_back(std::move(seg));
    prog_.layers.push_back(std::move(lp));
  }

  const model::Network& net_;
  Target t_;
  Program prog_;
  uint64_t next_ = 0;
  std::map<std::string, TensorPlacement> tensors_;
};

}  // namespace

const LayerProgram* Program::find(const std::string& name) const {
  for (const LayerProgram& l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

const TensorPlacement& Program::tensor(const std::string& name) const {
  if (name == input.name) return input;
  if (const LayerProgram* l = find(name)) return l->output;
  throw std::out_of_range("program has no tensor '" + name + "'");
}

Program compile(const model::Network& net, const Target& target, const CompileOptions& options) {
  return Builder(net, target, options).run();
}

}  // namespace npu::compiler
