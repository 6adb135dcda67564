"""Config: defaults, the URL-hash format both ways, links from the original, and errors that name the key."""

import pytest

from playground.config import KNOBS, Config, ConfigError, Effect, schema

ORIGINAL_DEFAULT = (
    "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0"
    "&noise=0&networkShape=4,2&seed=0.12345&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
    "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
    "&problem=classification&initZero=false&hideText=false")
# A link from playground.tensorflow.org with L1, relu, a spiral, 5 layers and classroom-hidden controls.
ORIGINAL_SPIRAL = (
    "#activation=relu&regularization=L1&batchSize=3&dataset=spiral&regDataset=reg-gauss&learningRate=0.001"
    "&regularizationRate=0.003&noise=35&networkShape=8,6,5,4,2&seed=0.78541&showTestData=true&discretize=true"
    "&percTrainData=70&x=true&y=true&xTimesY=true&xSquared=false&ySquared=true&cosX=false&sinX=true&cosY=false"
    "&sinY=false&collectStats=false&problem=regression&initZero=false&hideText=false&tutorial=dp-reducing-loss"
    "&dataset_hide=true&problem_hide=true")


def test_defaults_are_the_originals() -> None:
    assert Config(seed="0.12345").to_hash() == ORIGINAL_DEFAULT
    assert Config.from_hash(ORIGINAL_DEFAULT) == Config(seed="0.12345")


def test_original_link_parses_every_value() -> None:
    c = Config.from_hash(ORIGINAL_SPIRAL)
    assert (c.activation, c.regularization, c.batchSize, c.dataset, c.regDataset) == (
        "relu", "L1", 3, "spiral", "reg-gauss")
    assert (c.learningRate, c.regularizationRate, c.noise, c.percTrainData) == (0.001, 0.003, 35, 70)
    assert c.networkShape == (8, 6, 5, 4, 2)
    assert c.features == ("x", "y", "ySquared", "xTimesY", "sinX")
    assert (c.showTestData, c.discretize, c.problem, c.seed) == (True, True, "regression", "0.78541")
    assert c.layer_sizes == (5, 8, 6, 5, 4, 2, 1)
    assert c.active_dataset == "reg-gauss"
    assert c.hidden == frozenset({"dataset", "problem"})
    assert c.tutorial == "dp-reducing-loss"


def test_round_trip_keeps_everything() -> None:
    c = Config.from_hash(ORIGINAL_SPIRAL).updated(
        {"optimizer": "adam", "momentum": 0.5, "learningRateDecay": 0.01, "loss": "crossEntropy", "init": "he",
         "networkShape": "", "linkView": "steps"})
    again = Config.from_hash(c.to_hash())
    assert again == c
    assert again.networkShape == ()
    assert "optimizer=adam" in c.to_hash() and "networkShape=&" in c.to_hash()
    assert "&init=he&linkView=steps&" in c.to_hash(), "own keys follow the original's, when not default"


def test_own_keys_stay_out_of_the_hash_at_their_defaults() -> None:
    text = Config(seed="1").to_hash()
    for key in ("optimizer", "momentum", "learningRateDecay", "loss", "init", "regularization", "speed", "linkView"):
        assert f"{key}=" not in text
    assert Config.from_hash("speed=10&seed=1").to_hash().endswith("&speed=10")


def test_init_zero_from_the_original_means_zero_init() -> None:
    c = Config.from_hash("initZero=true&seed=1")
    assert c.init == "zero"
    assert "initZero=true" in c.to_hash()


def test_json_values_are_accepted_as_well_as_hash_strings() -> None:
    c = Config(seed="1").updated({"batchSize": 7, "learningRate": 0.1, "x": False, "networkShape": [3, 3, 3]})
    assert (c.batchSize, c.learningRate, c.x, c.networkShape) == (7, 0.1, False, (3, 3, 3))


@pytest.mark.parametrize(("key", "value"), [
    ("activation", "softmax"), ("batchSize", "0"), ("batchSize", "31"), ("batchSize", "2.5"), ("batchSize", "ten"),
    ("learningRate", "100"), ("learningRate", "0"), ("learningRate", "nan"), ("learningRate", "inf"),
    ("regularizationRate", "-1"), ("noise", "51"), ("percTrainData", "5"), ("percTrainData", "95"),
    ("networkShape", "9"), ("networkShape", "1,2,3,4,5,6,7"), ("networkShape", "0"), ("networkShape", "a,b"),
    ("dataset", "moons"), ("regDataset", "circle"), ("problem", "ranking"), ("x", "yes"), ("showTestData", "1"),
    ("regularization", "L3"), ("optimizer", "adagrad"), ("momentum", "1"), ("learningRateDecay", "-0.1"),
    ("loss", "hinge"), ("init", "orthogonal"), ("seed", "a b"), ("seed", ""), ("noise", "60abc"),
])
def test_a_command_refuses_what_the_controls_do_not_offer_naming_key_value_and_range(key: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Config(seed="1").updated({key: value})
    message = str(caught.value)
    assert caught.value.key == key
    assert message.startswith(f"{key}={value} is not allowed")
    assert KNOBS[key].allowed() in message


@pytest.mark.parametrize(("key", "value"), [
    ("activation", "softmax"), ("batchSize", "0"), ("batchSize", "2.5"), ("batchSize", "ten"),
    ("batchSize", "1201"), ("learningRate", "nan"), ("learningRate", "Infinity"), ("learningRate", "-0.1"),
    ("regularizationRate", "-1"), ("noise", "-5"), ("noise", "101"), ("noise", "loud"), ("percTrainData", "0"),
    ("percTrainData", "100"), ("networkShape", "9"), ("networkShape", "1,2,3,4,5,6,7"), ("networkShape", "a,b"),
    ("momentum", "1"), ("x", "yes"), ("seed", "a b"),
])
def test_a_hash_refuses_only_what_we_cannot_use_naming_key_value_and_range(key: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_hash(f"{key}={value}")
    assert caught.value.key == key
    assert str(caught.value).startswith(f"{key}={value} is not allowed")
    assert KNOBS[key].allowed(from_hash=True) in str(caught.value)


def test_a_hash_opens_numbers_the_original_uses_beyond_the_page_controls() -> None:
    """The original reads hash numbers without a range check (noise=60 is a noisier dataset there)."""
    config, errors = Config.from_hash_lenient("noise=60&percTrainData=95&batchSize=50&learningRate=0.05"
                                              "&regularizationRate=0.02&seed=7")
    assert not errors
    assert (config.noise, config.percTrainData, config.batchSize) == (60, 95, 50)
    assert (config.learningRate, config.regularizationRate) == (0.05, 0.02)
    again = Config.from_hash(config.to_hash())
    assert again == config and "noise=60&" in config.to_hash() and "learningRate=0.05&" in config.to_hash()
    later = config.updated({"activation": "relu", "learningRate": 0.3})  # a strict change of other keys
    assert (later.noise, later.percTrainData, later.batchSize, later.activation) == (60, 95, 50, "relu")
    assert Config.from_hash(later.to_hash()) == later


@pytest.mark.parametrize(("key", "text", "value"), [
    ("batchSize", "1e1", 10), ("batchSize", "10.0", 10), ("batchSize", "+12", 12), ("batchSize", "7px", 7),
    ("learningRate", "1e-2", 0.01), ("learningRate", ".05", 0.05), ("learningRate", "0.3abc", 0.3),
])
def test_a_hash_reads_a_leading_number_as_parse_float_does(key: str, text: str, value: float) -> None:
    assert getattr(Config.from_hash(f"{key}={text}"), key) == value


def test_unknown_key_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"learningrate=0\.1 is not allowed"):
        Config.from_hash("learningrate=0.1")


def test_lenient_parse_keeps_defaults_for_bad_values_and_reports_them() -> None:
    config, errors = Config.from_hash_lenient("batchSize=0&activation=relu&noise=x&seed=7")
    assert (config.batchSize, config.activation, config.noise, config.seed) == (10, "relu", 0, "7")
    assert [e.key for e in errors] == ["batchSize", "noise"]


def test_update_rejects_bad_values_and_changes_nothing() -> None:
    c = Config(seed="1")
    with pytest.raises(ConfigError, match="batchSize"):
        c.updated({"batchSize": 0, "activation": "relu"})
    with pytest.raises(ConfigError, match="x=1 is not allowed"):
        c.updated({"x": 1})
    assert c.activation == "tanh"


def test_no_seed_draws_a_fresh_one_like_the_original() -> None:
    seeds = {Config.from_hash("").seed for _ in range(5)}
    assert len(seeds) > 1
    assert all(s.startswith("0.") and len(s) == 7 for s in seeds)


def test_effects_follow_the_reference_table() -> None:
    c = Config(seed="1")
    assert c.effect_of(c) is None
    assert c.effect_of(c.updated({"learningRate": 0.3})) == Effect.TRAIN
    assert c.effect_of(c.updated({"showTestData": True})) == Effect.VIEW
    assert c.effect_of(c.updated({"linkView": "gradients"})) == Effect.VIEW
    assert c.effect_of(c.updated({"optimizer": "adam"})) == Effect.OPTIMIZER
    for key, value in [("activation", "relu"), ("regularization", "L2"), ("regularizationRate", 0.1),
                       ("batchSize", 3), ("x", False), ("networkShape", [2]), ("init", "he")]:
        assert c.effect_of(c.updated({key: value})) == Effect.NETWORK, key
    for key, value in [("problem", "regression"), ("dataset", "xor"), ("percTrainData", 30), ("noise", 5),
                       ("seed", "2")]:
        assert c.effect_of(c.updated({key: value})) == Effect.DATA, key


def test_schema_describes_every_knob_for_the_page() -> None:
    described = schema()
    assert set(described) == set(KNOBS)
    assert described["learningRate"]["menu"][:2] == [0.00001, 0.0001]
    assert described["batchSize"]["min"] == 1 and described["batchSize"]["max"] == 30
    assert described["networkShape"]["default"] == [4, 2]
    assert described["classes"] | {"allowed": None} == {
        "kind": "int", "default": 2, "choices": [], "min": 2, "max": 6, "menu": [], "effect": "data", "allowed": None}
    assert described["loss"]["labels"]["categoricalCrossEntropy"] == "Categorical cross-entropy"
    assert set(described["loss"]["labels"]) == {*described["loss"]["choices"], "categoricalCrossEntropy"}
