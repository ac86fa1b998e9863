// The study's matrix experiment, on why initialisation matters: a deep stack without
// training is a product of random matrices. Multiplying `depth` random square matrices, in
// float32 as a network computes, the product vanishes to 0 when the entries are drawn from
// [0, 0.1] and explodes to inf (and NaN) from [0, 10]; scaled as He or Glorot say, it stays
// finite. Each factor can pass through an activation, as a layer's output does.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace atelier {

enum class MatrixInitKind
{
    Uniform, // entries uniform in [low, high]
    He,      // normal, std sqrt(2 / size): keeps the scale through ReLU layers
    Glorot,  // normal, std sqrt(1 / size) for a square matrix: keeps it without activation
};

struct MatrixInit
{
    MatrixInitKind kind = MatrixInitKind::Uniform;
    double low = 0, high = 0.1; // Uniform only
};

enum class MatrixActivation
{
    None,
    Sigmoid,
    Relu,
};

constexpr int kMaxMatrixDepth = 10'000;
constexpr int kMaxMatrixSize = 1024;

struct MatrixLabOptions
{
    int depth = 100;
    // The study does not record its matrix size. 4 reproduces both of its results: a
    // [0, 0.1] factor shrinks the product by about size × 0.05, so every size below 20
    // vanishes, and below 7 it reaches exactly 0 in float32 within 100 factors.
    int size = 4;
    MatrixInit init;
    MatrixActivation activation = MatrixActivation::None;
    std::uint64_t seed = 1;
    // Asked before each depth when set; false stops the experiment, whose result then holds
    // the depths done so far. 1024×1024 factors take tens of milliseconds each: the studio
    // stops a stale computation (or one the window's closing waits for) between two.
    std::function<bool()> keepGoing;
};

struct MatrixDepthStats
{
    int depth = 0; // factors multiplied so far, from 1
    double mean = 0, stddev = 0;
    double norm = 0; // Frobenius norm of the product
};

struct MatrixLabResult
{
    std::vector<MatrixDepthStats> depths;
    // The first depth where every entry is 0, some entry is infinite, some entry is NaN
    // (0: never).
    int firstAllZero = 0, firstInf = 0, firstNan = 0;
};

// Throws InputError for a depth or size outside [1, kMax...] or a uniform range with
// low > high or non-finite ends.
MatrixLabResult runMatrixLab(const MatrixLabOptions& options);

// "uniform:0:0.1", "uniform:0:10", "he", "glorot"; InputError naming the text otherwise.
MatrixInit parseMatrixInit(const std::string& text);
// "none", "sigmoid", "relu"; InputError naming the text otherwise.
MatrixActivation parseMatrixActivation(const std::string& text);

} // namespace atelier
