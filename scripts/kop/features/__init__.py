"""Features that plug in through kop.features.base (BaseFeature); kop.features.enabled.FEATURES lists them."""
