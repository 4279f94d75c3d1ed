//! World saves: the embedded default world and generated worlds survive
//! save → load → save byte for byte, and `world stats` matches the loaded digest.

use bevy_ecs::world::World;
use racksync::default_world::{DEFAULT_WORLD_RON, default_world};
use racksync_world::{ReadObjects, WorldObjects, WorldSave, WorldStats, generate_world};

fn reload(save: &WorldSave) -> (World, WorldSave) {
    let mut world = World::new();
    world.init_world_resources();
    save.load_into(&mut world).unwrap();
    let again = WorldSave::capture(&world);
    (world, again)
}

#[test]
fn default_world_round_trips_byte_identical() {
    let save = default_world().unwrap();
    let (world, again) = reload(&save);
    assert_eq!(again.to_ron(), DEFAULT_WORLD_RON);
    let records: Vec<_> = save.objects.iter().cloned().map(Into::into).collect();
    assert_eq!(WorldStats::of(&records).digest, world.digest());
    assert_eq!(world.digest(), world.recompute_digest());
}

#[test]
fn generated_world_round_trips_byte_identical() {
    let text = generate_world(5_000, 11).to_ron();
    let save = WorldSave::from_ron(&text).unwrap();
    let (_, again) = reload(&save);
    assert_eq!(again.to_ron(), text);
}

#[test]
fn inconsistent_saves_are_refused() {
    let mut save = default_world().unwrap();
    let duplicate = save.objects[1].clone();
    save.objects.push(duplicate);
    let error = WorldSave::from_ron(&save.to_ron()).unwrap_err();
    assert!(error.to_string().contains("used twice"), "{error}");
    assert!(WorldSave::from_ron("(format: 99, revision: 0)").is_err());
}
