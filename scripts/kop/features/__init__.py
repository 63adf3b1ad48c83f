"""Features that plug in through kop.core.feature.Feature; FEATURES lists them."""
