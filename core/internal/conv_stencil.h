// Private to core: a direct 3×3 convolution for images with one channel (the first layer of
// every Fashion-MNIST CNN), written for that case. Generic kernels handle it badly: the
// im2col kernel ran at about 10 GFLOP/s and oneDNN slower still, because one input channel
// leaves a 9-long reduction that they cannot vectorise. Here each output pixel's C channels
// are one vector expression: bias + Σ over 9 taps of (tap value × that tap's C weights).
// Plain arrays, no LibTorch, so that the kernels compile fast and are tested on their own.
#pragma once

#include "max_pool_kernel.h"

#include <cstdint>

namespace atelier::stencil {

struct Geometry
{
    std::int64_t height = 0, width = 0;       // input image
    std::int64_t padTop = 0, padLeft = 0;     // zeros before the image (0, 1 or 2)
    std::int64_t outHeight = 0, outWidth = 0; // stride 1: in + padding on both sides - 2
    std::int64_t channels = 0;                // output channels (filters)
};

constexpr int kTaps = 9;

// `images`: count × height × width. `weights`: 9 × channels (tap-major: ky * 3 + kx).
// `bias`: channels, or null. `out`: count × outHeight × outWidth × channels (channels-last).
// With `relu`, outputs at or below 0 become 0 (the block's activation, fused; NaN stays, as
// with LibTorch's relu).
void forward(const float* images, std::int64_t count, const Geometry& geometry,
             const float* weights, const float* bias, bool relu, float* out);

// Adds the gradients of `count` images to `sums` (10 × channels: 9 taps, then the bias),
// in a fixed order, so that equal inputs give equal bits whatever the thread count.
// `gradOut` is laid out like `out` above. `reluOut`, when not null, is the forward's fused
// ReLU output: where it is 0 the gradient does not pass (threshold_backward's rule).
void accumulateWeightGradient(const float* images, std::int64_t count, const Geometry& geometry,
                              const float* gradOut, const float* reluOut, float* sums);

// The convolution followed by a max pooling whose windows tile its output (`pooling`: its
// input is the convolution's output, height × width × channels of one image), without writing
// the convolution's output: each row of windows is convolved into a buffer in cache and
// pooled from there. `out`, `winners`: count × pooled height × pooled width × channels, the
// values and winners of pool::forward (which applies the ReLU when `relu`).
void forwardPooled(const float* images, std::int64_t count, const Geometry& geometry,
                   const float* weights, const float* bias, const pool::Geometry& pooling,
                   bool relu, float* out, std::uint8_t* winners);

// accumulateWeightGradient for forwardPooled: `gradOut` is the pooled output's gradient, and
// a pixel's gradient is its window's where it won the window, else 0. The sums have the same
// bits as accumulateWeightGradient of pool::backward's input gradient.
void accumulatePooledWeightGradient(const float* images, std::int64_t count,
                                    const Geometry& geometry, const pool::Geometry& pooling,
                                    const float* gradOut, const std::uint8_t* winners, float* sums);

} // namespace atelier::stencil
