// Private to core: max pooling whose windows tile the image (stride = window; Keras's "same"
// padding, when it falls at the end only, as a last window that is cut short), on
// channels-last float32 or bfloat16 values: the pooling after nearly every convolution here.
// LibTorch's CPU kernel stores each winner as a 64-bit index and its backward zero-fills the
// whole input gradient, then scatters into it; together they took about a quarter of a cnn_medium
// step. Here a winner is one byte (its place in the window), and the backward writes every input
// gradient exactly once. Plain arrays, no LibTorch.
#pragma once

#include <cstdint>

namespace atelier::pool {

struct Geometry
{
    std::int64_t height = 0, width = 0; // input
    std::int64_t windowHeight = 0, windowWidth = 0;
    // Input / window, rounded down ("valid") or up (padding at the end: a last window that
    // lies partly outside the input pools the cells inside it).
    std::int64_t outHeight = 0, outWidth = 0;
    std::int64_t channels = 0;
};

// Windows up to this size fit a one-byte winner.
constexpr std::int64_t kMaxWindowCells = 255;
constexpr std::uint8_t kNoWinner = 255;

// Rows [firstRow, endRow) of the output, counted over all images (image × outHeight + row).
// `in`: images × height × width × channels; `out`, `winners`: images × outHeight × outWidth ×
// channels. As in LibTorch, a NaN wins (the last one, if several) and among equal values the
// first in reading order wins.
// A winner is its cell's place in the full window (row × windowWidth + column). With `relu`,
// a maximum at or below 0 becomes 0 and has no winner: relu(max) is max(relu), and the
// gradient reaches no cell, as through a ReLU before the pooling.
// The overloads take float32, or bfloat16 as its bits (mixed precision's feature maps).
void forward(const float* in, const Geometry& geometry, std::int64_t firstRow, std::int64_t endRow,
             bool relu, float* out, std::uint8_t* winners);
void forward(const std::uint16_t* in, const Geometry& geometry, std::int64_t firstRow,
             std::int64_t endRow, bool relu, std::uint16_t* out, std::uint8_t* winners);

// The input gradient of the same rows: each window's winner gets the output's gradient, the
// rest of the window 0, and so do the input rows and columns no window covers.
void backward(const float* gradOut, const std::uint8_t* winners, const Geometry& geometry,
              std::int64_t firstRow, std::int64_t endRow, float* gradIn);
void backward(const std::uint16_t* gradOut, const std::uint8_t* winners, const Geometry& geometry,
              std::int64_t firstRow, std::int64_t endRow, std::uint16_t* gradIn);

} // namespace atelier::pool
