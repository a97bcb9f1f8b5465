// The page's script: the round trip's result (or its error) on window.roundTripResult, for the test.
import { roundTrip } from "./round-trip.js";

roundTrip("hello from a bundle").then(
  (result) => {
    window.roundTripResult = result;
  },
  (error) => {
    window.roundTripResult = { error: `${error?.name}: ${error?.message}` };
  },
);
