// The matrix experiment's cases as a student reads them: a name ("uniform [0, 0.1]",
// "He + ReLU"), the panel's three default cases (one that vanishes, one that explodes, one
// that stays finite), a plain-language verdict per result, and why a case cannot be computed.
#pragma once

#include "core/matrix_lab.h"

#include <QString>
#include <vector>

namespace atelier::ui {

// "uniform [0, 0.1]", "He", "Glorot".
QString matrixInitName(const MatrixInit& init);
// The init and, when there is one, the activation after each factor: "He + ReLU".
QString matrixCaseName(const MatrixLabOptions& options);
// The name and the matrices' size, as legends and CSV rows say it: "He + ReLU, 64×64".
QString matrixCaseLabel(const MatrixLabOptions& options);

// The study's three cases at depth 100, seed 1. The uniform ones are 4×4: a [0, 0.1] factor
// shrinks the product about 0.2-fold, which reaches exactly 0 in float32 within 100 factors
// only below size 7. He + ReLU is 64×64: at 4×4 ReLU zeroes a whole column of the product
// about once every 16 factors and a zero column never comes back, so even He dies there
// (seed 1: every entry 0 from depth 12); at 64 it stays finite (norm 1.67 at depth 100).
std::vector<MatrixLabOptions> defaultMatrixCases();

// What happened, in words: "every entry is 0 from depth 65 (vanished)", "inf from depth 30
// (exploded)", "finite at depth 100, norm 1.67".
QString matrixVerdict(const MatrixLabResult& result);

// Why case `caseNumber` (from 1) cannot be computed, naming it; empty when it can.
QString matrixCaseProblem(int caseNumber, const MatrixLabOptions& options);

} // namespace atelier::ui
