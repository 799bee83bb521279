import pytest

from thermokinetic.config import Field, config_hash, load_toml, validate
from thermokinetic.errors import ParameterError, check_positive

SCHEMA = {
    "magnet": {
        "sigma": Field(float, required=True, doc="K v / kT"),
        "alpha": Field(float, 1.0, check=check_positive),
        "mesh": Field(str, "geodesic", choices=("geodesic", "latlong")),
    },
    "currents": Field(list, [0.0]),
}


def test_defaults_and_conversion():
    cfg = validate({"magnet": {"sigma": 20}}, SCHEMA)
    assert cfg == {"magnet": {"sigma": 20.0, "alpha": 1.0, "mesh": "geodesic"}, "currents": [0.0]}
    assert isinstance(cfg["magnet"]["sigma"], float)


@pytest.mark.parametrize(
    "data, match",
    [
        ({"magnet": {"sigma": 1, "alpah": 0.1}}, r"magnet.alpah=.*unknown key"),
        ({"magnet": {}}, r"magnet.sigma=None .*missing key"),
        ({"magnet": {"sigma": "big"}}, r"magnet.sigma='big' is invalid: must be of type float"),
        ({"magnet": {"sigma": 1, "alpha": -1}}, r"magnet.alpha=-1.0 is invalid: must be > 0"),
        ({"magnet": {"sigma": 1, "mesh": "cube"}}, r"one of \['geodesic', 'latlong'\]"),
        ({"magnet": {"sigma": True}}, r"of type float"),
    ],
)
def test_bad_input_names_the_dotted_key(data, match):
    with pytest.raises(ParameterError, match=match):
        validate(data, SCHEMA)


def test_load_toml_errors(tmp_path):
    with pytest.raises(ParameterError, match="existing TOML file"):
        load_toml(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("a = = 1")
    with pytest.raises(ParameterError, match="valid TOML"):
        load_toml(bad)


def test_config_hash_is_order_independent():
    assert config_hash({"a": 1, "b": [1, 2]}) == config_hash({"b": [1, 2], "a": 1})
    assert config_hash({"a": 1}) != config_hash({"a": 2})
