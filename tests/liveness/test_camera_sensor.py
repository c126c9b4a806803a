"""The generator's camera (``synth_variants.camera``): the i.i.d. noise every group before
stop 20 was made with, a real phone's pipeline (``sensor="bayer"``: a colour filter
mosaic, demosaicing, a denoiser), whose noise an injected frame's added noise is not, and
the held-out second phone of FRESH9 (``sensor="second_phone"``)."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk.liveness import synth_variants

FLAT = np.full((256, 256, 3), 120, np.float32)


def _residual(sensor: str, seed: int = 0) -> np.ndarray:
    out = synth_variants.camera(
        FLAT, np.random.default_rng(seed), noise=4.0, quality=95, focus=0.3, sensor=sensor
    )
    r = out.astype(np.float32)
    return r - r.mean(axis=(0, 1))


def _neighbour_correlation(channel: np.ndarray) -> float:
    return float(np.corrcoef(channel[:, :-1].ravel(), channel[:, 1:].ravel())[0, 1])


def test_demosaicing_correlates_the_noise_of_neighbours() -> None:
    """Each photosite sees one colour; the missing two are filled from its neighbours, so
    neighbouring pixels share noise, which per-pixel noise never does."""
    assert _neighbour_correlation(_residual("iid")[..., 1]) < 0.15
    assert _neighbour_correlation(_residual("bayer")[..., 1]) > 0.4


def test_the_phone_denoiser_flattens_a_smooth_area() -> None:
    assert _residual("bayer").std() < 0.7 * _residual("iid").std()


def test_an_edge_survives_the_denoiser() -> None:
    step = FLAT.copy()
    step[:, 128:] = 200
    out = synth_variants.camera(
        step, np.random.default_rng(1), noise=4.0, quality=95, focus=0.3, sensor="bayer"
    )
    profile = out[:, :, 1].astype(np.float32).mean(axis=0)
    assert profile[131] - profile[124] > 60  # most of the 80-level step within a few pixels


def test_the_default_sensor_is_the_old_one() -> None:
    a = synth_variants.camera(FLAT, np.random.default_rng(2))
    b = synth_variants.camera(FLAT, np.random.default_rng(2), sensor="iid")
    assert np.array_equal(a, b)


def test_an_unknown_sensor_is_refused() -> None:
    with pytest.raises(ValueError, match="sensor"):
        synth_variants.camera(FLAT, np.random.default_rng(3), sensor="film")


@pytest.mark.parametrize(
    ("species", "variant"), [("bona_fide", "tune-bayer-dim"), ("print", "tune-bayer-dim-am-fine")]
)
def test_variants_with_a_bayer_sensor_are_made(photo, species: str, variant: str) -> None:
    rgb, points = photo("tests_obama.jpg")
    img = synth_variants.make(species, variant, rgb, points, np.random.default_rng(4))
    assert img.shape == rgb.shape and img.dtype == np.uint8


def test_the_second_phone_sharpens_an_edge_into_halos() -> None:
    """The held-out phone (FRESH9) oversharpens: an edge overshoots on both sides."""
    step = FLAT.copy()
    step[:, 128:] = 200
    out = synth_variants.camera(
        step, np.random.default_rng(5), noise=2.0, quality=95, focus=0.3, sensor="second_phone"
    )
    profile = out[:, :, 1].astype(np.float32).mean(axis=0)
    assert profile[128:134].max() > profile[150] + 4  # overshoot on the bright side
    assert profile[122:128].min() < profile[100] - 4  # and undershoot on the dark side


def test_the_second_phone_keeps_row_noise() -> None:
    """A rolling readout's per-row offset survives as stripes: row means vary more than
    column means, where per-pixel noise gives both the same spread."""
    r = _residual("second_phone")[..., 1]
    assert r.mean(axis=1).std() > 2 * r.mean(axis=0).std()


@pytest.mark.parametrize(
    ("species", "variant"),
    [
        ("bona_fide", "phone2-dim"),
        ("print", "phone2-fm-inkjet-cream"),
        ("replay", "phone2-monitor-banding"),
        ("cutout", "phone2-mask-worn-fm-fine"),
        ("document", "phone2-card-mid-tilt"),
        # FRESH13's, through the third
        ("bona_fide", "phone3-glasses-aviator-hard-side"),
        ("print", "phone3-line-95lpi-matte-tilt"),
        ("cutout", "phone3-mask-worn-polygon-am-fine-soft"),
        # FRESH14's, through the fourth
        ("bona_fide", "phone4-very-low-light-warm"),
        ("print", "phone4-dim-laser-60lpi"),
        ("replay", "phone4-phone-fine-20deg-lamp"),
        ("cutout", "phone4-mask-worn-ellipse-am-fine-soft"),
        ("document", "phone4-passport-mid-glare-grey"),
        # FRESH15's, through the laptop webcam
        ("bona_fide", "webcam-cold-screen-light"),
        ("print", "webcam-dim-laser-75lpi-tilt"),
        ("replay", "webcam-monitor-fills-frame-warm"),
        ("cutout", "webcam-mask-worn-head-am-fine"),
        ("document", "webcam-passport-near-tilt"),
    ],
)
def test_every_species_is_made_through_the_phones(photo, species: str, variant: str) -> None:
    rgb, points = photo("tests_obama.jpg")
    img = synth_variants.make(species, variant, rgb, points, np.random.default_rng(6))
    assert img.shape == rgb.shape and img.dtype == np.uint8


def test_the_third_phone_keeps_column_noise() -> None:
    """FRESH13's phone: each column's amplifier offset survives as vertical stripes."""
    r = _residual("third_phone")[..., 1]
    assert r.mean(axis=0).std() > 2 * r.mean(axis=1).std()


def test_the_third_phone_bins_away_single_pixel_detail() -> None:
    """Binned 2×2 before demosaicing: one-pixel stripes, which the second phone's
    full-resolution mosaic still shows, are averaged away."""
    board = FLAT.copy()
    board[:, ::2] += 40
    contrast = {}
    for sensor in ("second_phone", "third_phone"):
        out = synth_variants.camera(
            board, np.random.default_rng(7), noise=0.5, quality=95, focus=0.01, sensor=sensor
        ).astype(np.float32)[..., 1]
        contrast[sensor] = float(np.abs(out[:, 1:] - out[:, :-1]).mean())
    assert contrast["third_phone"] < 0.5 * contrast["second_phone"]


def test_the_fourth_phone_merges_a_burst_into_less_noise() -> None:
    """FRESH14's phone averages four frames: a flat grey keeps less noise than the Bayer
    phone's single frame at the same sensor noise (before its denoiser's chroma blur)."""
    assert _residual("fourth_phone")[..., 1].std() < _residual("iid")[..., 1].std()


def test_the_fourth_phone_tone_map_lifts_a_shadow_next_to_a_highlight() -> None:
    """The local tone map compresses the large-scale range: a dark half beside a bright
    half comes out closer to it (as a ratio of levels) than through the i.i.d. camera."""
    halves = FLAT.copy()
    halves[:, :128] = 30
    halves[:, 128:] = 220
    ranges = {}
    for sensor in ("iid", "fourth_phone"):
        out = synth_variants.camera(
            halves, np.random.default_rng(8), noise=1.0, quality=95, focus=0.3, sensor=sensor
        ).astype(np.float32)[..., 1]
        ranges[sensor] = float(np.log(np.median(out[:, 160:]) / max(np.median(out[:, :96]), 1.0)))
    assert ranges["fourth_phone"] < 0.7 * ranges["iid"]


def test_the_webcam_lifts_the_shadows() -> None:
    """FRESH15's webcam: its log curve and local equalisation lift a dark flat field far
    above what the i.i.d. camera leaves of it."""
    dark = np.full_like(FLAT, 25.0)
    levels = {}
    for sensor in ("iid", "webcam"):
        out = synth_variants.camera(
            dark, np.random.default_rng(9), noise=1.0, quality=95, focus=0.3, sensor=sensor
        )
        levels[sensor] = float(np.median(out[..., 1]))
    assert levels["webcam"] > 2 * levels["iid"]


def test_the_webcam_smears_an_edge_into_a_ghost() -> None:
    """The small sensor scaled up and the temporal denoiser's blend of the previous,
    displaced frame: a sharp vertical edge comes out as a ramp at least two pixels wide."""
    edge = FLAT.copy()
    edge[:, 128:] = 200
    out = synth_variants.camera(
        edge, np.random.default_rng(10), noise=0.3, quality=95, focus=0.01, sensor="webcam"
    )
    row = np.median(out[..., 1].astype(np.float32), axis=0)
    lo, hi = np.median(row[:100]), np.median(row[156:])
    between = ((row > lo + 0.15 * (hi - lo)) & (row < hi - 0.15 * (hi - lo))).sum()
    assert between >= 2


@pytest.mark.parametrize("sensor", sorted(synth_variants.TUNING_PIPELINES))
def test_every_tuning_pipeline_makes_a_frame(sensor: str) -> None:
    out = _residual(sensor)
    assert out.shape == FLAT.shape and np.isfinite(out).all()


def test_the_tuning_family_draws_a_phone_per_image_reproducibly() -> None:
    """The family's settings come from the image's own generator: the same seed gives the
    same frame, other seeds other phones."""
    a, b, c = (_residual("tune_family", seed) for seed in (3, 3, 4))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_the_tuning_binned_phone_reads_the_sensor_at_a_lower_resolution() -> None:
    board = FLAT.copy()
    board[:, ::2] += 40
    contrast = {}
    for sensor in ("bayer", "tune_bin"):
        out = synth_variants.camera(
            board, np.random.default_rng(7), noise=0.5, quality=95, focus=0.01, sensor=sensor
        ).astype(np.float32)[..., 1]
        contrast[sensor] = float(np.abs(out[:, 1:] - out[:, :-1]).mean())
    assert contrast["tune_bin"] < 0.5 * contrast["bayer"]
