package io.mme.app.instruments;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataJsonTest {
    private static JsonNode entry(String json) {
        return MetadataJson.read(json, "test");
    }

    @Test
    void decimalsAreNormalisedPlainTextWhetherSentAsStringsOrNumbers() throws Exception {
        JsonNode e = entry("""
                {"a":"0.00000100","b":"10.00000000","c":"5.0","d":"0.00000000","e":1E-8,"f":0.10,"g":25,"h":"1e+2"}
                """);
        assertThat(MetadataJson.decimal(e, "a")).isEqualTo("0.000001");
        assertThat(MetadataJson.decimal(e, "b")).isEqualTo("10");
        assertThat(MetadataJson.decimal(e, "c")).isEqualTo("5");
        assertThat(MetadataJson.decimal(e, "d")).isEqualTo("0");
        assertThat(MetadataJson.decimal(e, "e")).isEqualTo("0.00000001");
        assertThat(MetadataJson.decimal(e, "f")).isEqualTo("0.1");
        assertThat(MetadataJson.decimal(e, "g")).isEqualTo("25");
        assertThat(MetadataJson.decimal(e, "h")).isEqualTo("100");
        assertThat(MetadataJson.decimal(e, "missing")).isNull();
    }

    @Test
    void aNegativeTooFineOrNonNumericDecimalMakesTheEntryUnusable() {
        JsonNode e = entry("{\"neg\":\"-0.1\",\"fine\":\"0.0000000000000000001\",\"word\":\"abc\",\"flag\":true}");
        assertThatThrownBy(() -> MetadataJson.decimal(e, "neg")).hasMessage("neg \"-0.1\" is negative");
        assertThatThrownBy(() -> MetadataJson.decimal(e, "fine")).hasMessageContaining("finer than 10^-18");
        assertThatThrownBy(() -> MetadataJson.decimal(e, "word")).hasMessage("word \"abc\" is not a decimal");
        assertThatThrownBy(() -> MetadataJson.decimal(e, "flag")).hasMessage("flag true is not a decimal");
    }

    @Test
    void decimalPlacesBecomeASingleUnitStep() {
        assertThat(MetadataJson.stepOfPlaces(0)).isEqualTo("1");
        assertThat(MetadataJson.stepOfPlaces(1)).isEqualTo("0.1");
        assertThat(MetadataJson.stepOfPlaces(8)).isEqualTo("0.00000001");
    }

    @Test
    void aRecorderLineGivesTheBodyAfterTheTimestampAndAPlainBodyIsItself() {
        assertThat(SavedResponse.body("https://api.kraken.com/0/public/AssetPairs -> 1618678132.358447: {\"error\":[]}\n"
                + "configuration: {\"ticker\":[]}\n")).isEqualTo("{\"error\":[]}");
        String plain = "{\"msg\": \"a -> 1: b\",\n \"symbols\": []}";
        assertThat(SavedResponse.body(plain)).isEqualTo(plain);
    }
}
