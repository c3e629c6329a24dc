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
/// <param name="Replicas">Each replica's report, by rank, for the replicas that finished the run.</param>
/// <param name="Events">What happened to the cluster during the run (a silo lost, the run continued from a checkpoint), in order; empty when nothing did.</param>
public sealed record DistributedTrainingResult(AutoencoderModel Model, TrainingHistory History, IReadOnlyList<ReplicaReport> Replicas, IReadOnlyList<DistributedEvent> Events);

/// <summary>A silo lost during a distributed run, and where the run continued.</summary>
/// <param name="At">Time since the run started.</param>
/// <param name="LostSilos">The silos Orleans membership no longer lists as active (or that stopped answering).</param>
/// <param name="Epoch">The epoch of the last step the surviving replicas had exchanged (as a replica reports it: 0 before the first step).</param>
/// <param name="Batch">The batch of that step within its epoch, from 0.</param>
/// <param name="ResumedEpoch">The epoch of the checkpoint the run continued from (1 and batch 0: the start).</param>
/// <param name="ResumedBatch">The batches of <paramref name="ResumedEpoch"/> the checkpoint had trained.</param>
/// <param name="Replicas">The replicas that continued.</param>
/// <param name="Message">The same in words.</param>
public sealed record DistributedEvent(TimeSpan At, IReadOnlyList<string> LostSilos, int Epoch, int Batch, int ResumedEpoch, int ResumedBatch, int Replicas, string Message);
