namespace Autoencoder.Orleans;

/// <summary>What a replica did over a distributed run.</summary>
/// <param name="Rank">Its slice of every batch.</param>
/// <param name="Silo">The silo it ran on.</param>
/// <param name="Steps">Optimizer steps it took.</param>
/// <param name="Elapsed">Its wall time from loading the model to the end of training.</param>
/// <param name="ExchangeTime">Time spent handing in its gradients and waiting for the sum, the wait for slower replicas included.</param>
/// <param name="BytesExchanged">Bytes of values it sent and received.</param>
public sealed record ReplicaReport(int Rank, string Silo, long Steps, TimeSpan Elapsed, TimeSpan ExchangeTime, long BytesExchanged);

/// <summary>What <see cref="DistributedTrainer.FitAsync"/> gives back.</summary>
/// <param name="Model">The trained model (replica 0's; every replica holds the same weights).</param>
/// <param name="History">The run's history, as <c>Fit</c> returns it.</param>
/// <param name="Replicas">Each replica's report, by rank.</param>
public sealed record DistributedTrainingResult(AutoencoderModel Model, TrainingHistory History, IReadOnlyList<ReplicaReport> Replicas);
