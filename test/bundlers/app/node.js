// A Node program: prints the round trip's result as JSON.
import { roundTrip } from "./round-trip.js";

console.log(JSON.stringify(await roundTrip("hello from a Node bundle")));
