#!/bin/sh
# Regenerates the two calibration charts of the README, "From guesses to a calibrated
# forecast": the Bamako stock fan before and after calibration
# (docs/images/bamako-2025-calibrated.png) and the observations on their dates
# (docs/images/bamako-2025-calibration-timeline.png). Run from the repository's root.
set -eu
cargo build --release
b=target/release/blockade
"$b" calibrate networks/bamako-2025-uncertain.ron \
    --observed networks/bamako-2025-observations.ron -q
"$b" run networks/bamako-2025-uncertain.ron \
    --inputs outputs/bamako-2025-uncertain/calibration/calibrated-inputs.ron \
    --no-sensitivity -q --out outputs/bamako-2025-calibrated
cp outputs/bamako-2025-calibrated/charts/stock-calibrated.png \
    docs/images/bamako-2025-calibrated.png
cp outputs/bamako-2025-uncertain/calibration/calibration-timeline.png \
    docs/images/bamako-2025-calibration-timeline.png
echo "written docs/images/bamako-2025-calibrated.png, docs/images/bamako-2025-calibration-timeline.png"
