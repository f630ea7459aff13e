package io.layerwise.datasets.extract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.datasets.store.NpyDType;

/** Element type of activation shards: f16 halves the disk and page cache a store needs; f32 is exact. */
public enum StoreDType {
    F16(NpyDType.F16),
    F32(NpyDType.F32);

    private final NpyDType npy;

    StoreDType(NpyDType npy) {
        this.npy = npy;
    }

    public NpyDType npy() {
        return npy;
    }

    @JsonCreator
    public static StoreDType fromConfig(String name) {
        return ConfigEnums.parse(StoreDType.class, name);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
